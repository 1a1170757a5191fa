using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Tftp;

/// <summary>How a transfer ended.</summary>
internal readonly record struct TftpOutcome(bool Completed, string? Failure, long BytesAcknowledged, long Retransmissions);

/// <summary>
/// The socket loop of one transfer, on its own port (the server's TID, RFC 1350 §4). It sends what
/// <see cref="TftpTransfer"/> asks for and feeds it ACKs and timeouts.
/// It runs on a thread of its own with blocking receives, as tftpd-hpa runs a process per transfer:
/// a lockstep transfer is bound by the round trip, and a blocking receive is woken by the kernel
/// directly, without the hand-off from the socket engine's epoll thread to the thread pool that an
/// async receive costs on every block. The receive wakes every <see cref="PollInterval"/> so the
/// retransmission deadline is judged by the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TftpTransferSession : IDisposable
{
    private const int ReceiveBufferLength = 1024;

    /// <summary>How often a blocked receive wakes to check the deadline and shutdown.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest user-space wait for a reply before blocking; a few loopback round trips.</summary>
    private static readonly TimeSpan SpinLimit = TimeSpan.FromMicroseconds(100);

    private readonly Socket _socket;
    private readonly SocketAddress _peer;
    private readonly ITftpSource _source;
    private readonly ReadAheadBuffer _reader;
    private readonly TftpTransferSettings _settings;
    private readonly TftpTransfer _transfer;
    private readonly TimeProvider _time;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferLength];
    private readonly SocketAddress _from;
    private readonly Func<bool> _maySpin;
    private long _sentAt;

    public TftpTransferSession(Socket socket, IPEndPoint peer, ITftpSource source, TftpTransferSettings settings, int maxRetries, TimeProvider time, Func<bool> maySpin)
    {
        _socket = socket;
        _peer = peer.Serialize();
        _from = new SocketAddress(peer.AddressFamily);
        _source = source;
        _settings = settings;
        _transfer = new TftpTransfer(source.Length, settings, maxRetries);
        _reader = new ReadAheadBuffer(source, settings.BlockSize);
        _sendBuffer = ArrayPool<byte>.Shared.Rent(TftpWire.HeaderLength + settings.BlockSize);
        _time = time;
        _maySpin = maySpin;
        _socket.ReceiveTimeout = (int)PollInterval.TotalMilliseconds;
    }

    /// <summary>Runs the transfer to its end; blocks the calling thread.</summary>
    public TftpOutcome Run(CancellationToken stopping)
    {
        TftpStep step = _transfer.Start();
        while (true)
        {
            switch (step.Kind)
            {
                case TftpStepKind.SendOptionAck:
                    SendOptionAck();
                    _sentAt = _time.GetTimestamp();
                    break;
                case TftpStepKind.SendBlocks:
                    SendBlocks(step.FirstBlock, step.Count);
                    _sentAt = _time.GetTimestamp();
                    break;
                case TftpStepKind.Completed:
                    return Outcome(failure: null);
                case TftpStepKind.GaveUp:
                    // Counted in timeouts, not blocks: a client that never ACKs the OACK got no block at all.
                    return Outcome($"no ACK after {_transfer.ConsecutiveTimeouts} timeouts of {_settings.Timeout.TotalSeconds:0.#} s");
            }

            (step, string? failure) = Receive(stopping);
            if (failure is not null)
            {
                return Outcome(failure);
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        ArrayPool<byte>.Shared.Return(_sendBuffer);
    }

    private (TftpStep Step, string? Failure) Receive(CancellationToken stopping)
    {
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                return (TftpStep.Wait, "server is shutting down");
            }
            // Checked on every pass, so a peer that keeps sending junk cannot hold off the timeout.
            if (_time.GetElapsedTime(_sentAt) >= _settings.Timeout)
            {
                // Run restarts the clock when it sends whatever the timeout asks for.
                return (_transfer.OnTimeout(), null);
            }

            int length;
            try
            {
                SpinForReply();
                length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _from);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (SocketException ex)
            {
                return (TftpStep.Wait, $"socket error: {ex.SocketErrorCode}");
            }

            if (!_from.Equals(_peer))
            {
                // RFC 1350 §4: a packet from another TID gets ERROR 5 and does not disturb this transfer.
                TftpErrorReply.Send(_socket, _from, TftpErrorCode.UnknownTransferId, "unknown transfer ID");
                continue;
            }
            ReadOnlySpan<byte> datagram = _receiveBuffer.AsSpan(0, length);
            if (TftpWire.TryReadAck(datagram, out ushort block))
            {
                TftpStep step = _transfer.OnAck(block);
                if (step.Kind == TftpStepKind.Wait)
                {
                    continue;
                }
                return (step, null);
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

    /// <summary>
    /// While cores are idle, wait for the reply briefly in user space before sleeping in the kernel:
    /// on loopback or a LAN the ACK comes back in tens of microseconds, and waking a sleeping thread
    /// costs about as much again on every block of a lockstep transfer. Under load nobody spins.
    /// </summary>
    private void SpinForReply()
    {
        if (!_maySpin())
        {
            return;
        }
        long start = Stopwatch.GetTimestamp();
        while (_socket.Available == 0 && Stopwatch.GetElapsedTime(start) < SpinLimit)
        {
            Thread.SpinWait(20);
        }
    }

    private void SendBlocks(long firstBlock, int count)
    {
        int blockSize = _settings.BlockSize;
        for (long block = firstBlock; block < firstBlock + count; block++)
        {
            Span<byte> payload = _sendBuffer.AsSpan(TftpWire.HeaderLength, blockSize);
            int length = _reader.ReadBlock(block, payload);
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

    /// <summary>Bytes acknowledged so far; read by progress displays on other threads.</summary>
    public long BytesAcknowledged => Math.Min(_transfer.BlocksAcknowledged * _settings.BlockSize, _source.Length);

    private TftpOutcome Outcome(string? failure) => new(failure is null, failure, BytesAcknowledged, _transfer.Retransmissions);
}
