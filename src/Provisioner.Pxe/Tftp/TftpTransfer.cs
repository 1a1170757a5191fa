namespace Provisioner.Pxe.Tftp;

/// <summary>What the socket loop must do next for one transfer.</summary>
internal enum TftpStepKind
{
    /// <summary>Nothing to send; keep waiting for the same deadline.</summary>
    Wait,
    SendOptionAck,
    SendBlocks,
    Completed,
    GaveUp,
}

/// <summary>A step: for <see cref="TftpStepKind.SendBlocks"/>, blocks <c>FirstBlock</c> .. <c>FirstBlock + Count - 1</c> (absolute, from 1).</summary>
internal readonly record struct TftpStep(TftpStepKind Kind, long FirstBlock = 0, int Count = 0)
{
    public static readonly TftpStep Wait = new(TftpStepKind.Wait);
}

/// <summary>
/// The sending side of one read transfer as a pure state machine: it is fed ACKs and timeouts and
/// answers with what to send. Block numbers are absolute (a long) inside, 16-bit on the wire, so
/// files past 65535 blocks roll over (block 65536 is sent as 0, as tftpd-hpa, curl and iPXE expect).
/// </summary>
internal sealed class TftpTransfer
{
    private readonly int _windowSize;
    private readonly int _maxRetries;
    private bool _awaitingOptionAck;
    private long _acked;
    private long _sent;
    private int _retries;

    public TftpTransfer(long length, TftpTransferSettings settings, int maxRetries)
    {
        BlockSize = settings.BlockSize;
        _windowSize = settings.WindowSize;
        _maxRetries = maxRetries;
        _awaitingOptionAck = settings.NeedsOptionAck;
        // RFC 1350 §6: a block shorter than blksize ends the transfer, so a file whose length is a
        // multiple of blksize (including 0) ends with an empty block.
        LastBlock = (length / BlockSize) + 1;
    }

    public int BlockSize { get; }

    public long LastBlock { get; }

    public long BlocksAcknowledged => Volatile.Read(ref _acked);

    /// <summary>How many blocks were sent again after a timeout or a partial-window ACK.</summary>
    public long Retransmissions { get; private set; }

    public TftpStep Start() => _awaitingOptionAck ? new TftpStep(TftpStepKind.SendOptionAck) : NextWindow();

    public TftpStep OnAck(ushort block)
    {
        if (_awaitingOptionAck)
        {
            // RFC 2347: the client confirms the OACK with ACK 0; anything else is stale.
            if (block != 0)
            {
                return TftpStep.Wait;
            }
            _awaitingOptionAck = false;
            _retries = 0;
            return NextWindow();
        }

        // How far past the last acknowledged block this ACK reaches, modulo 2^16.
        int advance = (ushort)(block - (ushort)_acked);
        if (advance == 0 || advance > _sent - _acked)
        {
            // RFC 1123 §4.2.3.1: a duplicate ACK must not trigger a retransmission, or every
            // delayed ACK doubles the traffic (the Sorcerer's Apprentice bug). Only the timer
            // retransmits. ACKs for blocks never sent, or older ones, are ignored the same way.
            return TftpStep.Wait;
        }

        _acked += advance;
        _retries = 0;
        if (_acked == LastBlock)
        {
            return new TftpStep(TftpStepKind.Completed);
        }
        if (_acked < _sent)
        {
            // RFC 7440 §4: an ACK inside the window means the blocks after it were lost; the
            // sender restarts the window right after the acknowledged block.
            Retransmissions += _sent - _acked;
        }
        return NextWindow();
    }

    /// <summary>Timeouts in a row without progress (all of them, once the transfer gave up).</summary>
    public int ConsecutiveTimeouts => _retries;

    public TftpStep OnTimeout()
    {
        if (++_retries > _maxRetries)
        {
            return new TftpStep(TftpStepKind.GaveUp);
        }
        if (_awaitingOptionAck)
        {
            return new TftpStep(TftpStepKind.SendOptionAck);
        }
        int outstanding = (int)(_sent - _acked);
        Retransmissions += outstanding;
        return new TftpStep(TftpStepKind.SendBlocks, _acked + 1, outstanding);
    }

    private TftpStep NextWindow()
    {
        int count = (int)Math.Min(_windowSize, LastBlock - _acked);
        _sent = _acked + count;
        return new TftpStep(TftpStepKind.SendBlocks, _acked + 1, count);
    }
}
