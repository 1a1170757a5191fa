using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>
/// The read side of the hot paths (boot configs and preseeds): hosts by MAC and by build token,
/// answered from memory. A change made in this process drops only the hosts it touched. Changes
/// made elsewhere (the CLI, or another appliance on a shared PostgreSQL) arrive one of two ways.
/// On PostgreSQL, the database notifies each change as it commits (<see cref="Data.HostChangeFeed"/>)
/// and <see cref="ChangedElsewhereAsync"/> drops that host and tells live views. Without that feed
/// (SQLite, or while the feed reconnects) they are noticed within <see cref="RevalidateInterval"/>:
/// the hosts table's row count and sum of revisions (on SQLite one row kept by triggers, on
/// PostgreSQL an aggregate), when it differs from what this process's own changes explain, empties
/// the directory.
/// Returned hosts are snapshots: never modify them. Every change made in this process passes
/// here, so this is also where live views hear of it (<see cref="HostChanged"/> on the bus).
/// </summary>
public sealed class HostDirectory(InventoryDatabase database, TimeProvider time, IEventBus? bus = null)
{
    public static readonly TimeSpan RevalidateInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a differing stamp is given to turn out to be a change of this process's own, still being counted.</summary>
    public static readonly TimeSpan RaceGrace = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// <see cref="PreloadAsync"/> reads at most this many hosts (about 1.5 KB of memory each); beyond
    /// it, hosts are read as they are first asked for.
    /// </summary>
    public const int MaxPreloaded = 250_000;

    /// <summary>Hosts read per query by <see cref="PreloadAsync"/>; settable for tests.</summary>
    internal int PreloadPage { get; init; } = 2_000;

    /// <summary>While a preload runs: the generation at which each host was last dropped.</summary>
    private readonly ConcurrentDictionary<int, long> _droppedAt = new();
    private volatile bool _preloading;
    private long _clearedAt;

    /// <summary>True while the PostgreSQL change feed is listening (see <see cref="FeedConnected"/>).</summary>
    public bool FeedIsConnected => _feedConnected;

    private readonly ConcurrentDictionary<string, HostRecord?> _byMac = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostRecord?> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, HostRecord> _byId = new();

    /// <summary>The revision of each host as this process last wrote it, to tell its own changes from others' in the feed.</summary>
    private readonly ConcurrentDictionary<int, long> _written = new();
    private volatile bool _feedConnected;
    private readonly Lock _stampGate = new();
    private (long Count, long Revisions)? _expected;
    private long _generation;
    private long _checkedAt;
    private bool _checkedOnce;
    private int _checking;

    /// <summary>Misses are remembered too: unknown machines ask for their 01-&lt;mac&gt; config at every boot.</summary>
    public ValueTask<HostRecord?> FindByMacAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        string key = mac.ToString();
        return FindAsync(_byMac, key, h => h.Mac == key, rememberMisses: true, cancellationToken);
    }

    /// <summary>Only hits are remembered: a flood of made-up tokens must not grow memory.</summary>
    public ValueTask<HostRecord?> FindByTokenAsync(string token, CancellationToken cancellationToken) =>
        FindAsync(_byToken, token, h => h.BuildToken == token, rememberMisses: false, cancellationToken);

    private async ValueTask<HostRecord?> FindAsync(ConcurrentDictionary<string, HostRecord?> map, string key,
        System.Linq.Expressions.Expression<Func<HostRecord, bool>> match, bool rememberMisses, CancellationToken cancellationToken)
    {
        await RevalidateAsync(cancellationToken).ConfigureAwait(false);
        if (map.TryGetValue(key, out HostRecord? known))
        {
            return known;
        }
        long generation = Volatile.Read(ref _generation);
        HostRecord? host;
        await using (InventoryDbContext db = database.CreateContext())
        {
            host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(match, cancellationToken).ConfigureAwait(false);
        }
        if (host is not null || rememberMisses)
        {
            Remember(map, key, host, generation);
        }
        return host;
    }

    /// <summary>Caches what was read from the database at <paramref name="generation"/>, unless a change landed since.</summary>
    private void Remember(ConcurrentDictionary<string, HostRecord?> map, string key, HostRecord? host, long generation)
    {
        if (Volatile.Read(ref _generation) == generation && map.TryAdd(key, host))
        {
            if (host is not null)
            {
                _byId[host.Id] = host;
            }
            // A change that landed between the check and the add: take the add back.
            if (Volatile.Read(ref _generation) != generation)
            {
                map.TryRemove(new(key, host));
            }
        }
    }

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
        _preloading = true;
        try
        {
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
                    Preloaded(host, readAt);
                }
                loaded += page.Count;
                if (page.Count < PreloadPage)
                {
                    break;
                }
                after = page[^1].Id;
            }
        }
        finally
        {
            _preloading = false;
            _droppedAt.Clear();
        }
        return loaded;
    }

    /// <summary>
    /// Caches a host read at generation <paramref name="readAt"/> unless it (or everything) was
    /// dropped since. Unlike <see cref="Remember"/>, other hosts' changes do not count: a busy
    /// appliance changes some host all the time (measured: the preload skipped most pages while builds ran).
    /// </summary>
    private void Preloaded(HostRecord host, long readAt)
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

    /// <summary>After hosts were added in this process (each at revision 0).</summary>
    public void Created(IReadOnlyCollection<HostRecord> hosts)
    {
        foreach (HostRecord host in hosts)
        {
            Forget(host);
            _written[host.Id] = host.Revision;
            Announce(host.Id);
        }
        Expect(hosts.Count, 0);
    }

    /// <summary>After a host was changed in this process (its revision raised by one).</summary>
    public void Updated(HostRecord host)
    {
        Forget(host);
        _written[host.Id] = host.Revision;
        Expect(0, 1);
        Announce(host.Id);
    }

    private void Announce(int hostId) => bus?.Publish(new HostChanged(time.GetUtcNow(), hostId));

    /// <summary>After a host was removed in this process.</summary>
    public void Deleted(int id, long revision)
    {
        _written.TryRemove(id, out _);
        ForgetId(id);
        Expect(-1, -revision);
        Announce(id);
    }

    /// <summary>
    /// The feed is listening: from now on changes from elsewhere arrive as they commit, so the
    /// aggregate check is not needed. What was cached before may have missed some: dropped.
    /// </summary>
    public void FeedConnected()
    {
        lock (_stampGate)
        {
            // Whenever the feed is lost again, the first check starts from a clean slate.
            _expected = null;
        }
        Clear();
        // Only now: the preloader waits for this, and what it loads must come after the Clear.
        _feedConnected = true;
    }

    /// <summary>The feed stopped listening: back to the aggregate check.</summary>
    public void FeedLost() => _feedConnected = false;

    /// <summary>The database says host <paramref name="id"/> changed (or went); changes this process made itself are skipped.</summary>
    public async Task ChangedElsewhereAsync(int id, CancellationToken cancellationToken)
    {
        HostRecord? now;
        await using (InventoryDbContext db = database.CreateContext())
        {
            now = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken).ConfigureAwait(false);
        }
        if (now is not null && _written.TryGetValue(id, out long revision) && revision == now.Revision)
        {
            return;
        }
        ForgetId(id);
        if (now is not null)
        {
            // Whatever is cached under its new MAC or token (a remembered miss, say) goes too.
            Forget(now);
        }
        Announce(id);
    }

    /// <summary>Drops the host cached under this id, with its MAC and token entries.</summary>
    private void ForgetId(int id)
    {
        // First the generation: a look-up that read the database before this change cannot add its result after it.
        long generation = Interlocked.Increment(ref _generation);
        if (_preloading)
        {
            _droppedAt[id] = generation;
        }
        if (_byId.TryRemove(id, out HostRecord? old))
        {
            _byMac.TryRemove(old.Mac, out _);
            if (old.BuildToken is not null)
            {
                _byToken.TryRemove(old.BuildToken, out _);
            }
        }
    }

    /// <summary>Drops the host as it was cached and whatever is cached under its new MAC and token.</summary>
    private void Forget(HostRecord changed)
    {
        ForgetId(changed.Id);
        _byMac.TryRemove(changed.Mac, out _);
        if (changed.BuildToken is not null)
        {
            _byToken.TryRemove(changed.BuildToken, out _);
        }
    }

    private void Clear()
    {
        Volatile.Write(ref _clearedAt, Interlocked.Increment(ref _generation));
        _byMac.Clear();
        _byToken.Clear();
        _byId.Clear();
    }

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
