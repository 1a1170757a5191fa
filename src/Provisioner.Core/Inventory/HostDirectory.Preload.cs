using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>Filling the directory at start: see <see cref="PreloadAsync"/>.</summary>
public sealed partial class HostDirectory
{
    /// <summary>
    /// <see cref="PreloadAsync"/> reads at most this many hosts (about 1.5 KB of memory each); beyond
    /// it, hosts are read as they are first asked for.
    /// </summary>
    public const int MaxPreloaded = 250_000;

    /// <summary>Hosts read per query by <see cref="PreloadAsync"/>; settable for tests.</summary>
    internal int PreloadPage { get; init; } = 2_000;

    /// <summary>
    /// The generation at which each host was last dropped since the last <see cref="Clear"/>: what a
    /// look-up or a preload read is cached unless that host (or everything) changed since it was read.
    /// At most one entry per host id.
    /// </summary>
    private readonly ConcurrentDictionary<int, long> _droppedAt = new();
    private long _clearedAt;

    /// <summary>
    /// Loads the hosts (up to <see cref="MaxPreloaded"/>), <see cref="PreloadPage"/> at a time, so
    /// that a host's first boot-config or preseed request is answered from memory too. A first
    /// look-up through EF Core cost about 0.3 ms of the one core, and at 100,000 hosts their p99
    /// under load was 25-30 ms. A host changed after its page was read is left out (it is read
    /// as it is asked for); what is cached already (fresher) stays. Returns how many hosts were read.
    /// </summary>
    public async Task<int> PreloadAsync(CancellationToken cancellationToken)
    {
        // First the change check: its first run empties the directory (it has nothing to compare with yet).
        await RevalidateAsync(cancellationToken).ConfigureAwait(false);
        int after = 0;
        int loaded = 0;
        while (loaded < MaxPreloaded)
        {
            long readAt = Volatile.Read(ref _generation);
            List<HostRecord> page;
            await using (InventoryDbContext db = database.CreateContext())
            {
                page = await db.Hosts.AsNoTracking().Where(h => h.Id > after).OrderBy(h => h.Id)
                    .Take(Math.Min(PreloadPage, MaxPreloaded - loaded)).ToListAsync(cancellationToken).ConfigureAwait(false);
            }
            foreach (HostRecord host in page)
            {
                Cache(host, readAt);
            }
            loaded += page.Count;
            if (page.Count < PreloadPage)
            {
                break;
            }
            after = page[^1].Id;
        }
        return loaded;
    }

    /// <summary>
    /// Caches a host read at generation <paramref name="readAt"/> unless it (or everything) was
    /// dropped since. Other hosts' changes do not count: a busy appliance changes some host all the
    /// time (measured: the preload skipped most pages while builds ran).
    /// </summary>
    private void Cache(HostRecord host, long readAt)
    {
        if (!Unchanged(host.Id, readAt))
        {
            return;
        }
        bool byMac = _byMac.TryAdd(host.Mac, host);
        bool byToken = host.BuildToken is not null && _byToken.TryAdd(host.BuildToken, host);
        if (byMac || byToken)
        {
            _byId.TryAdd(host.Id, host);
        }
        // A change that landed between the check and the adds: take them back.
        if (!Unchanged(host.Id, readAt))
        {
            _byMac.TryRemove(new(host.Mac, host));
            if (host.BuildToken is not null)
            {
                _byToken.TryRemove(new(host.BuildToken, host));
            }
            _byId.TryRemove(new(host.Id, host));
        }
    }

    private bool Unchanged(int id, long readAt) =>
        Volatile.Read(ref _clearedAt) <= readAt && !(_droppedAt.TryGetValue(id, out long dropped) && dropped > readAt);
}
