using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>
/// The read side of the hot paths (boot configs and preseeds): hosts by MAC and by build token,
/// answered from memory. Every write in this process clears it; writes made by another appliance
/// on a shared PostgreSQL are noticed within <see cref="RevalidateInterval"/> by a cheap check of
/// the hosts table (row count and sum of revisions). Returned hosts are snapshots: never modify them.
/// </summary>
public sealed class HostDirectory(InventoryDatabase database, TimeProvider time)
{
    public static readonly TimeSpan RevalidateInterval = TimeSpan.FromSeconds(1);

    private Snapshot _snapshot = new();
    private (int Count, long Revisions) _stamp;
    private long _checkedAt;
    private bool _checkedOnce;
    private int _checking;

    public async ValueTask<HostRecord?> FindByMacAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        await RevalidateAsync(cancellationToken).ConfigureAwait(false);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        string key = mac.ToString();
        if (snapshot.ByMac.TryGetValue(key, out HostRecord? known))
        {
            return known;
        }
        HostRecord? host;
        await using (InventoryDbContext db = database.CreateContext())
        {
            host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Mac == key, cancellationToken).ConfigureAwait(false);
        }
        // Misses are remembered too: unknown machines ask for their 01-<mac> config at every boot.
        snapshot.ByMac.TryAdd(key, host);
        return host;
    }

    public async ValueTask<HostRecord?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        await RevalidateAsync(cancellationToken).ConfigureAwait(false);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.ByToken.TryGetValue(token, out HostRecord? known))
        {
            return known;
        }
        HostRecord? host;
        await using (InventoryDbContext db = database.CreateContext())
        {
            host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.BuildToken == token, cancellationToken).ConfigureAwait(false);
        }
        // Only hits: a flood of made-up tokens must not grow memory.
        if (host is not null)
        {
            snapshot.ByToken.TryAdd(token, host);
        }
        return host;
    }

    /// <summary>Forgets everything; called after every change to a host.</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, new Snapshot());

    private async ValueTask RevalidateAsync(CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        if ((Volatile.Read(ref _checkedOnce) && time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) < RevalidateInterval) || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }
        try
        {
            (int, long) stamp;
            await using (InventoryDbContext db = database.CreateContext())
            {
                var row = await db.Hosts.GroupBy(_ => 1)
                    .Select(g => new { Count = g.Count(), Revisions = g.Sum(h => h.Revision) })
                    .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                stamp = (row?.Count ?? 0, row?.Revisions ?? 0);
            }
            if (stamp != _stamp)
            {
                _stamp = stamp;
                Invalidate();
            }
            Volatile.Write(ref _checkedAt, now);
            Volatile.Write(ref _checkedOnce, true);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    private sealed class Snapshot
    {
        public ConcurrentDictionary<string, HostRecord?> ByMac { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, HostRecord> ByToken { get; } = new(StringComparer.Ordinal);
    }
}
