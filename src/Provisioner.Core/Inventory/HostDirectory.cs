using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Net;

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
public sealed partial class HostDirectory(InventoryDatabase database, TimeProvider time, IEventBus? bus = null)
{
    /// <summary>Completes when the PostgreSQL change feed listens for the first time (see <see cref="FeedConnected"/>).</summary>
    public Task FeedFirstConnected => _feedFirstConnected.Task;

    private readonly ConcurrentDictionary<string, HostRecord?> _byMac = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostRecord?> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, HostRecord> _byId = new();

    /// <summary>The revision of each host as this process last wrote it, to tell its own changes from others' in the feed.</summary>
    private readonly ConcurrentDictionary<int, long> _written = new();
    private volatile bool _feedConnected;
    private readonly TaskCompletionSource _feedFirstConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Misses remembered at most (about 100 bytes each): beyond it they are forgotten all at once. A
    /// flood of made-up MACs (DHCP, TFTP config names) must not grow memory without end.
    /// </summary>
    public const int MaxRememberedMisses = 65_536;

    private long _missesRemembered;

    /// <summary><see cref="MaxRememberedMisses"/>; settable for tests.</summary>
    internal int MissLimit { get; init; } = MaxRememberedMisses;

    /// <summary>Raised by every drop: a look-up that read the database before a drop does not cache what it read.</summary>
    private long _generation;

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

    /// <summary>
    /// Caches what was read from the database at <paramref name="generation"/>: a host unless it (or
    /// everything) changed since, as the preload does; a miss unless any change landed since (it may
    /// have been the host now holding that key). Judging hits by every host's changes cached almost
    /// nothing while builds were being written: with bench/render.sh, about 8,400 of the 10,000 preseed
    /// tokens went to the database again in the measured run, though each had been fetched before.
    /// </summary>
    private void Remember(ConcurrentDictionary<string, HostRecord?> map, string key, HostRecord? host, long generation)
    {
        if (host is null)
        {
            if (Interlocked.Increment(ref _missesRemembered) > MissLimit)
            {
                ForgetMisses(map);
                Interlocked.Increment(ref _missesRemembered); // this one, added below
            }
            if (Volatile.Read(ref _generation) == generation && map.TryAdd(key, null) && Volatile.Read(ref _generation) != generation)
            {
                // A change that landed between the check and the add: take the add back.
                map.TryRemove(new(key, null));
            }
            return;
        }
        if (Unchanged(host.Id, generation) && map.TryAdd(key, host))
        {
            _byId[host.Id] = host;
            if (!Unchanged(host.Id, generation))
            {
                map.TryRemove(new(key, host));
                _byId.TryRemove(new(host.Id, host));
            }
        }
    }

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

    /// <summary>
    /// After a host was changed in this process (its revision raised by one): the host as saved
    /// takes the old one's place, so its next boot-config or preseed request is answered from
    /// memory. Dropping it instead cost every building host a database read per step (each first
    /// fetch is one), which bench/render.sh measured as 10,000 look-ups in its measured runs.
    /// Two writers finishing out of order leave the higher revision cached.
    /// </summary>
    public void Updated(HostRecord host)
    {
        Forget(host);
        long newest = _written.AddOrUpdate(host.Id, host.Revision, (_, known) => Math.Max(known, host.Revision));
        Expect(0, 1);
        if (newest == host.Revision)
        {
            Cache(host, Volatile.Read(ref _generation));
        }
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
        _feedFirstConnected.TrySetResult();
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

    /// <summary>Forgets every remembered miss (a host added since is read again; hosts found stay).</summary>
    private void ForgetMisses(ConcurrentDictionary<string, HostRecord?> map)
    {
        Interlocked.Exchange(ref _missesRemembered, 0);
        foreach (KeyValuePair<string, HostRecord?> entry in map)
        {
            if (entry.Value is null)
            {
                map.TryRemove(entry);
            }
        }
    }

    /// <summary>How many misses are remembered now (for tests).</summary>
    internal int RememberedMisses => _byMac.Count(e => e.Value is null);

    /// <summary>Drops the host cached under this id, with its MAC and token entries.</summary>
    private void ForgetId(int id)
    {
        // First the generation: a look-up that read the database before this change cannot add its result after it.
        long generation = Interlocked.Increment(ref _generation);
        _droppedAt[id] = generation;
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
        // Everything before the clear is covered by _clearedAt.
        _droppedAt.Clear();
        _byMac.Clear();
        _byToken.Clear();
        _byId.Clear();
    }
}
