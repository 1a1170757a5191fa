using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Tftp;

/// <summary>How a transfer ended.</summary>
internal readonly record struct TftpOutcome(bool Completed, string? Failure, long BytesAcknowledged, long Retransmissions);

/// <summary>
/// The socket loop of one transfer, on its own port (the server's TID, RFC 1350 §4). It sends what
/// <see cref="TftpTransfer"/> asks for and feeds it ACKs and timeouts. The timeout comes from an
/// <see cref="ITimer"/> of the injected <see cref="TimeProvider"/> that cancels the pending receive.
/// </summary>
internal sealed class TftpTransferSession : IDisposable
{
    private const int ReceiveBufferLength = 1024;

    private readonly Socket _socket;
    private readonly SocketAddress _peer;
    private readonly ITftpSource _source;
    private readonly TftpTransferSettings _settings;
    private readonly TftpTransfer _transfer;
    private readonly ITimer _timer;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferLength];
    private readonly SocketAddress _from;
    private CancellationTokenSource _receiveTimeout = new();

    public TftpTransferSession(Socket socket, IPEndPoint peer, ITftpSource source, TftpTransferSettings settings, int maxRetries, TimeProvider time)
    {
        _socket = socket;
        _peer = peer.Serialize();
        _from = new SocketAddress(peer.AddressFamily);
        _source = source;
        _settings = settings;
        _transfer = new TftpTransfer(source.Length, settings, maxRetries);
        _sendBuffer = ArrayPool<byte>.Shared.Rent(TftpWire.HeaderLength + settings.BlockSize);
        _timer = time.CreateTimer(static state => ((TftpTransferSession)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public async Task<TftpOutcome> RunAsync(CancellationToken stopping)
    {
        using CancellationTokenRegistration onStop = stopping.Register(static state => ((TftpTransferSession)state!).OnTimer(), this);
        TftpStep step = _transfer.Start();
        while (true)
        {
            switch (step.Kind)
            {
                case TftpStepKind.SendOptionAck:
                    SendOptionAck();
                    Arm();
                    break;
                case TftpStepKind.SendBlocks:
                    SendBlocks(step.FirstBlock, step.Count);
                    Arm();
                    break;
                case TftpStepKind.Completed:
                    return Outcome(failure: null);
                case TftpStepKind.GaveUp:
                    return Outcome($"no ACK after {_transfer.Retransmissions} retransmissions and {_settings.Timeout.TotalSeconds:0.#} s timeouts");
            }

            (step, string? failure) = await ReceiveAsync(stopping).ConfigureAwait(false);
            if (failure is not null)
            {
                return Outcome(failure);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _receiveTimeout.Dispose();
        ArrayPool<byte>.Shared.Return(_sendBuffer);
    }

    private async ValueTask<(TftpStep Step, string? Failure)> ReceiveAsync(CancellationToken stopping)
    {
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, _from, _receiveTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return (TftpStep.Wait, "server is shutting down");
                }
                _receiveTimeout.Dispose();
                _receiveTimeout = new CancellationTokenSource();
                return (_transfer.OnTimeout(), null);
            }
            catch (SocketException ex)
            {
                return (TftpStep.Wait, $"socket error: {ex.SocketErrorCode}");
            }

            if (!_from.Equals(_peer))
            {
                // RFC 1350 §4: a packet from another TID gets ERROR 5 and does not disturb this transfer.
                SendError(_from, TftpErrorCode.UnknownTransferId, "unknown transfer ID");
                continue;
            }
            ReadOnlySpan<byte> datagram = _receiveBuffer.AsSpan(0, length);
            if (TftpWire.TryReadAck(datagram, out ushort block))
            {
                return (_transfer.OnAck(block), null);
            }
            if (TftpWire.TryReadOpcode(datagram, out TftpOpcode opcode) && opcode == TftpOpcode.Error)
            {
                // The client ends the transfer; firmware that only wanted tsize does this routinely.
                string reason = TftpWire.TryReadError(datagram, out TftpErrorCode code, out string? message)
                    ? $"client sent ERROR {(int)code}: {message}"
                    : "client sent ERROR";
                return (TftpStep.Wait, reason);
            }
            // Anything else from the peer (a stray DATA, a garbled datagram) is dropped.
        }
    }

    private void SendBlocks(long firstBlock, int count)
    {
        int blockSize = _settings.BlockSize;
        for (long block = firstBlock; block < firstBlock + count; block++)
        {
            Span<byte> payload = _sendBuffer.AsSpan(TftpWire.HeaderLength, blockSize);
            int length = _source.Read((block - 1) * blockSize, payload);
            TftpWire.WriteDataHeader(_sendBuffer, (ushort)block);
            _socket.SendTo(_sendBuffer.AsSpan(0, TftpWire.HeaderLength + length), SocketFlags.None, _peer);
        }
    }

    private void SendOptionAck()
    {
        if (TftpWire.TryWriteOptionAck(_sendBuffer, _settings.Acknowledged, out int written))
        {
            _socket.SendTo(_sendBuffer.AsSpan(0, written), SocketFlags.None, _peer);
        }
    }

    private void SendError(SocketAddress to, TftpErrorCode code, string message)
    {
        Span<byte> buffer = stackalloc byte[128];
        if (TftpWire.TryWriteError(buffer, code, message, out int written))
        {
            _socket.SendTo(buffer[..written], SocketFlags.None, to);
        }
    }

    private void Arm() => _timer.Change(_settings.Timeout, Timeout.InfiniteTimeSpan);

    private void OnTimer()
    {
        try
        {
            Volatile.Read(ref _receiveTimeout).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The transfer moved on or ended between the timer firing and this line.
        }
    }

    private TftpOutcome Outcome(string? failure)
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        long bytes = Math.Min(_transfer.BlocksAcknowledged * _settings.BlockSize, _source.Length);
        return new TftpOutcome(failure is null, failure, bytes, _transfer.Retransmissions);
    }
}
