namespace Provisioner.Pxe.Dhcp;

/// <summary>What the DHCP listener did with the datagrams it read, for <c>/metrics</c>.</summary>
public sealed class DhcpServerCounters
{
    private long _received;
    private long _malformed;
    private long _ignored;
    private long _rateLimited;
    private long _silent;
    private long _answered;
    private long _failed;
    private readonly long[] _replies = new long[16];

    /// <summary>Datagrams read on port 67.</summary>
    public long ReceivedTotal => Interlocked.Read(ref _received);

    /// <summary>Not a DHCP message (too short, no magic cookie, a bad option, no or an unknown message type): dropped.</summary>
    public long MalformedTotal => Interlocked.Read(ref _malformed);

    /// <summary>Well-formed but not a client's request (another server's reply): dropped.</summary>
    public long IgnoredTotal => Interlocked.Read(ref _ignored);

    /// <summary>Over the per-client rate: dropped.</summary>
    public long RateLimitedTotal => Interlocked.Read(ref _rateLimited);

    /// <summary>Requests the handler chose not to answer (policy, not ours, nothing to give).</summary>
    public long SilentTotal => Interlocked.Read(ref _silent);

    public long AnsweredTotal => Interlocked.Read(ref _answered);

    /// <summary>Requests whose answer failed with an error (logged).</summary>
    public long FailedTotal => Interlocked.Read(ref _failed);

    internal void Received() => Interlocked.Increment(ref _received);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void Ignored() => Interlocked.Increment(ref _ignored);

    internal void RateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void Silent() => Interlocked.Increment(ref _silent);

    /// <summary>Replies sent of <paramref name="type"/> (OFFER, ACK, NAK).</summary>
    public long RepliesTotal(DhcpMessageType type) => Interlocked.Read(ref _replies[(int)type & 15]);

    internal void Answered(DhcpMessageType type)
    {
        Interlocked.Increment(ref _answered);
        Interlocked.Increment(ref _replies[(int)type & 15]);
    }

    internal void Failed() => Interlocked.Increment(ref _failed);
}
