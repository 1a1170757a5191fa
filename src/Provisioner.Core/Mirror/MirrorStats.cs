using Provisioner.Core.Metrics;

namespace Provisioner.Core.Mirror;

/// <summary>How a mirror request was answered.</summary>
public enum MirrorResult
{
    Hit,
    Revalidated,
    Stale,
    Miss,
    NotFound,
    Failed,
    Refused,
}

/// <summary>A request the cache could not answer by itself.</summary>
public sealed record MirrorMiss(DateTimeOffset At, string Path, MirrorResult Result, string? Reason);

/// <summary>An upstream failure: when, which archive, why.</summary>
public sealed record MirrorUpstreamError(DateTimeOffset At, string Upstream, string Reason);

/// <summary>
/// The mirror's figures since start for its page (hit ratio, bytes, the last misses and upstream error),
/// counted into <c>/metrics</c> at the same time.
/// </summary>
public sealed class MirrorStats(ApplianceMetrics metrics, TimeProvider time)
{
    private const int KeptMisses = 20;
    private readonly long[] _results = new long[Enum.GetValues<MirrorResult>().Length];
    private readonly LinkedList<MirrorMiss> _misses = new();
    private long _served;
    private long _fetched;
    private MirrorUpstreamError? _lastError;
    private long _version;

    public long Served => Interlocked.Read(ref _served);

    /// <summary>Moves with every request answered and every upstream error: the Mirror page refreshes when it does.</summary>
    public long Version => Interlocked.Read(ref _version);

    public long Fetched => Interlocked.Read(ref _fetched);

    public long Count(MirrorResult result) => Interlocked.Read(ref _results[(int)result]);

    /// <summary>Requests answered from the cache, of all answered with a file; null before the first.</summary>
    public double? HitRatio
    {
        get
        {
            long cached = Count(MirrorResult.Hit) + Count(MirrorResult.Revalidated) + Count(MirrorResult.Stale);
            long all = cached + Count(MirrorResult.Miss);
            return all == 0 ? null : (double)cached / all;
        }
    }

    public MirrorUpstreamError? LastError => Volatile.Read(ref _lastError);

    public IReadOnlyList<MirrorMiss> RecentMisses
    {
        get
        {
            lock (_misses)
            {
                return [.. _misses];
            }
        }
    }

    public void Answered(MirrorResult result, string path, string? reason = null)
    {
        Interlocked.Increment(ref _results[(int)result]);
        Interlocked.Increment(ref _version);
        metrics.MirrorRequests.WithLabels(result switch
        {
            MirrorResult.NotFound => "not_found",
            _ => result.ToString().ToLowerInvariant(),
        }).Inc();
        if (result is MirrorResult.Hit or MirrorResult.Revalidated)
        {
            return;
        }
        lock (_misses)
        {
            _misses.AddFirst(new MirrorMiss(time.GetUtcNow(), path, result, reason));
            if (_misses.Count > KeptMisses)
            {
                _misses.RemoveLast();
            }
        }
    }

    public void AddServed(long bytes)
    {
        Interlocked.Add(ref _served, bytes);
        metrics.MirrorBytesServed.Inc(bytes);
    }

    public void AddFetched(long bytes)
    {
        Interlocked.Add(ref _fetched, bytes);
        metrics.MirrorBytesFetched.Inc(bytes);
    }

    public void UpstreamFailed(string upstream, string reason)
    {
        Volatile.Write(ref _lastError, new MirrorUpstreamError(time.GetUtcNow(), upstream, reason));
        Interlocked.Increment(ref _version);
        metrics.MirrorUpstreamErrors.WithLabels(upstream).Inc();
    }

    public void CacheSize(long bytes) => metrics.MirrorCacheBytes.Set(bytes);
}
