using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>
/// Noticing changes made elsewhere without the feed: the hosts table's row count and sum of
/// revisions, checked at most every <see cref="RevalidateInterval"/>, against what this process's own
/// changes explain.
/// </summary>
public sealed partial class HostDirectory
{
    public static readonly TimeSpan RevalidateInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a differing stamp is given to turn out to be a change of this process's own, still being counted.</summary>
    private static readonly TimeSpan RaceGrace = TimeSpan.FromMilliseconds(20);

    private readonly Lock _stampGate = new();
    private (long Count, long Revisions)? _expected;
    private long _checkedAt;
    private bool _checkedOnce;
    private int _checking;

    private void Expect(long count, long revisions)
    {
        lock (_stampGate)
        {
            if (_expected is { } expected)
            {
                _expected = (expected.Count + count, expected.Revisions + revisions);
            }
        }
    }

    /// <summary>The hosts table's row count and sum of revisions.</summary>
    private static async Task<(long Count, long Revisions)> StampAsync(InventoryDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // One row that triggers keep in each writing transaction (migration HostChangeCounter):
            // the aggregate below reads every host, tens of milliseconds a second at 100,000.
            HostChangeCount? counted = await db.Database
                .SqlQueryRaw<HostChangeCount>("SELECT count AS \"Count\", revisions AS \"Revisions\" FROM host_changes WHERE id = 1")
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return (counted?.Count ?? 0, counted?.Revisions ?? 0);
        }
        var row = await db.Hosts.GroupBy(_ => 1)
            .Select(g => new { Count = g.LongCount(), Revisions = g.Sum(h => h.Revision) })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return (row?.Count ?? 0, row?.Revisions ?? 0);
    }

    private sealed class HostChangeCount
    {
        public long Count { get; init; }

        public long Revisions { get; init; }
    }

    private async Task<(long Count, long Revisions)> ReadStampAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await StampAsync(db, cancellationToken).ConfigureAwait(false);
    }

    private bool Unexpected((long, long) stamp)
    {
        lock (_stampGate)
        {
            return _expected != stamp;
        }
    }

    private async ValueTask RevalidateAsync(CancellationToken cancellationToken)
    {
        if (_feedConnected)
        {
            return;
        }
        long now = time.GetTimestamp();
        if ((Volatile.Read(ref _checkedOnce) && time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) < RevalidateInterval)
            || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }
        try
        {
            (long, long) stamp = await ReadStampAsync(cancellationToken).ConfigureAwait(false);
            if (Unexpected(stamp) && Volatile.Read(ref _checkedOnce))
            {
                // A change of ours may have committed but not yet told Expect: look again shortly
                // rather than drop every cached (preloaded) host for it. Real time, not the injected
                // clock: this waits for another thread of this process, not for a timeout.
                await Task.Delay(RaceGrace, cancellationToken).ConfigureAwait(false);
                stamp = await ReadStampAsync(cancellationToken).ConfigureAwait(false);
            }
            lock (_stampGate)
            {
                if (_expected != stamp)
                {
                    // Someone else changed the hosts: start over.
                    Clear();
                    _expected = stamp;
                }
            }
            Volatile.Write(ref _checkedAt, now);
            Volatile.Write(ref _checkedOnce, true);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }
}
