using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Tftp;

/// <summary>How a transfer ended.</summary>
internal readonly record struct TftpOutcome(bool Completed, string? Failure, long BytesAcknowledged, long Retransmissions);

/// <summary>
/// One transfer on its own port (the server's TID, RFC 1350 §4): it sends what <see cref="TftpTransfer"/>
/// asks for and feeds it ACKs and timeouts. It never waits: a <see cref="TftpEventLoop"/> calls
/// <see cref="OnReadable"/> when the socket has a datagram and <see cref="OnTick"/> now and then,
/// always from the loop's one thread.
/// </summary>
internal sealed class TftpTransferSession : IDisposable
{
    private const int ReceiveBufferLength = 1024;

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
    private readonly TimeSpan _giveUpAfter;
    private long _sentAt;
    private long _progressAt;
    private bool _optionAckAcknowledged;
    private string? _failure;

    public TftpTransferSession(Socket socket, IPEndPoint peer, ITftpSource source, TftpTransferSettings settings, int maxRetries, TimeSpan giveUpAfter, TimeProvider time)
    {
        _socket = socket;
        _peer = peer.Serialize();
        _from = new SocketAddress(peer.AddressFamily);
        _source = source;
        _settings = settings;
        _transfer = new TftpTransfer(source.Length, settings, maxRetries);
        _reader = new ReadAheadBuffer(source, settings.BlockSize);
        // The OACK goes out of the same buffer: with blksize 8 and tsize it is longer than a block.
        _sendBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(TftpWire.HeaderLength + settings.BlockSize, TftpWire.MaxOptionAckLength));
        _time = time;
        _giveUpAfter = giveUpAfter;
        _progressAt = time.GetTimestamp();
        // epoll says a datagram is there, but Linux can still drop it on a bad UDP checksum when it is
        // read; the receive then gives up after a millisecond instead of stalling every transfer.
        _socket.ReceiveTimeout = 1;
    }

    /// <summary>The socket's descriptor, for the loop's epoll set.</summary>
    public int Handle => (int)_socket.SafeHandle.DangerousGetHandle();

    public bool Ended { get; private set; }

    /// <summary>Bytes acknowledged so far; read by progress displays on other threads.</summary>
    public long BytesAcknowledged => Math.Min(_transfer.BlocksAcknowledged * _settings.BlockSize, _source.Length);

    public TftpOutcome Outcome => new(Ended && _failure is null, _failure, BytesAcknowledged, _transfer.Retransmissions);

    /// <summary>Sends the OACK or the first window.</summary>
    public void Begin() => Apply(_transfer.Start());

    /// <summary>Reads one datagram (epoll is level-triggered: another one is reported again) and answers it.</summary>
    public void OnReadable()
    {
        int length;
        try
        {
            length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _from);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return;
        }
        catch (SocketException ex)
        {
            End($"socket error: {ex.SocketErrorCode}");
            return;
        }

        if (!_from.Equals(_peer))
        {
            // RFC 1350 §4: a packet from another TID gets ERROR 5 and does not disturb this transfer.
            TftpErrorReply.Send(_socket, _from, TftpErrorCode.UnknownTransferId, "unknown transfer ID");
            return;
        }
        ReadOnlySpan<byte> datagram = _receiveBuffer.AsSpan(0, length);
        if (TftpWire.TryReadAck(datagram, out ushort block))
        {
            long before = _transfer.BlocksAcknowledged;
            Apply(_transfer.OnAck(block));
            if (_transfer.BlocksAcknowledged > before || (block == 0 && !_optionAckAcknowledged && _settings.NeedsOptionAck))
            {
                _optionAckAcknowledged |= block == 0;
                _progressAt = _time.GetTimestamp();
            }
        }
        else if (TftpWire.TryReadOpcode(datagram, out TftpOpcode opcode) && opcode == TftpOpcode.Error)
        {
            // The client ends the transfer; firmware that only wanted tsize does this routinely.
            End(TftpWire.TryReadError(datagram, out TftpErrorCode code, out string? message)
                ? $"client sent ERROR {(int)code}: {message}"
                : "client sent ERROR");
        }
        // Anything else from the peer (a stray DATA, a garbled datagram) is dropped.
    }

    /// <summary>
    /// Judges the retransmission deadline by the injected <see cref="TimeProvider"/>. The loop calls it
    /// on a timer of its own, so a peer that keeps sending junk cannot hold off the timeout.
    /// </summary>
    public void OnTick()
    {
        if (_time.GetElapsedTime(_progressAt) >= _giveUpAfter)
        {
            End($"nothing new acknowledged for {_giveUpAfter.TotalSeconds:0.#} s");
            return;
        }
        if (_time.GetElapsedTime(_sentAt) >= _settings.Timeout)
        {
            Apply(_transfer.OnTimeout());
        }
    }

    /// <summary>Ends the transfer from this side, telling the client (ERROR 0), so it stops instead of retrying.</summary>
    public void Abort(string reason)
    {
        if (!Ended)
        {
            TftpErrorReply.Send(_socket, _peer, TftpErrorCode.NotDefined, reason);
        }
        End(reason);
    }

    public void End(string failure)
    {
        _failure ??= failure;
        Ended = true;
    }

    public void Dispose()
    {
        _reader.Dispose();
        ArrayPool<byte>.Shared.Return(_sendBuffer);
    }

    private void Apply(TftpStep step)
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
                Ended = true;
                break;
            case TftpStepKind.GaveUp:
                // Counted in timeouts, not blocks: a client that never ACKs the OACK got no block at all.
                End($"no ACK after {_transfer.ConsecutiveTimeouts} timeouts of {_settings.Timeout.TotalSeconds:0.#} s");
                break;
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
}
