using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// The leases, in memory and in the inventory database. Every decision about addresses is taken
/// holding <see cref="Gate"/>, against memory, and recorded there at once (<see cref="Record"/>);
/// the database write happens after, with others made meanwhile, in one transaction (a group
/// commit), and the caller sends its reply only when its write is in: a restart forgets nothing
/// the server told a client. One transaction per message held the server to about 500 exchanges a
/// second on SQLite here (bench/dhcp.sh). Another appliance on a shared PostgreSQL that took an
/// address first wins it (the address is the key): this book then takes the database's row and
/// the write reports false.
/// </summary>
public sealed class LeaseBook(InventoryDatabase database, ApplianceIdentity appliance) : IAsyncDisposable
{
    private readonly Dictionary<uint, DhcpLease> _byAddress = [];
    private readonly Dictionary<string, HashSet<uint>> _byMac = new(StringComparer.Ordinal);
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The addresses that have a row in the database (the writer's: insert or update).</summary>
    private readonly HashSet<uint> _stored = [];
    private readonly Lock _storedLock = new();
    private Task? _writer;

    private sealed record PendingWrite(uint Key, DhcpLease Lease, TaskCompletionSource<bool> Done);

    /// <summary>Held while deciding about any address; <see cref="At"/>, <see cref="OfMac"/> and <see cref="Record"/> expect it held.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public int Count => _byAddress.Count;

    /// <summary>Reads every lease (at start; the book is empty before).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        List<DhcpLease> leases = await db.DhcpLeases.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (DhcpLease lease in leases)
            {
                Remember(lease);
                lock (_storedLock)
                {
                    _stored.Add(Ipv4Interface.SortKey(lease.Address));
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public DhcpLease? At(uint address) => _byAddress.GetValueOrDefault(address);

    public IEnumerable<DhcpLease> OfMac(string mac) =>
        _byMac.TryGetValue(mac, out HashSet<uint>? addresses) ? addresses.Select(a => _byAddress[a]) : [];

    /// <summary>Every lease, copied (for pages and metrics); takes the gate itself.</summary>
    public async Task<List<DhcpLease>> SnapshotAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. _byAddress.Values.Select(l => l.Copy())];
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// The lease that has been used longest ago among <paramref name="candidates"/> and is not held
    /// now: the address to reuse when no never-used one is left.
    /// </summary>
    public DhcpLease? OldestIdle(Func<uint, bool> candidates, DateTime now) =>
        _byAddress.Where(e => candidates(e.Key) && !e.Value.IsActive(now)).OrderBy(e => e.Value.ExpiresAt).Select(e => e.Value).FirstOrDefault();

    /// <summary>
    /// Keeps <paramref name="lease"/> (a new object, not one the book holds) from now on, holding
    /// <see cref="Gate"/>; the task completes when it is in the database: true, or false when another
    /// appliance holds that address there (the book then has the database's row). Await it after
    /// releasing the gate, and reply only once it is true.
    /// </summary>
    public Task<bool> Record(DhcpLease lease)
    {
        uint key = Ipv4Interface.SortKey(lease.Address);
        lease.Appliance = appliance.Name;
        Forget(key);
        Remember(lease);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Writer.TryWrite(new PendingWrite(key, lease.Copy(), done));
        _writer ??= Task.Run(WriteLoopAsync);
        return done.Task;
    }

    /// <summary>Writes what was recorded, all that waits at once in one transaction, until disposed.</summary>
    private async Task WriteLoopAsync()
    {
        ChannelReader<PendingWrite> reader = _writes.Reader;
        List<PendingWrite> batch = [];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 1000 && reader.TryRead(out PendingWrite? write))
            {
                batch.Add(write);
            }
            try
            {
                await WriteAsync(batch).ConfigureAwait(false);
                Complete(batch, true);
            }
            catch (DbUpdateException)
            {
                // Someone else wrote one of these addresses: one at a time, to find which.
                foreach (PendingWrite write in batch)
                {
                    try
                    {
                        await WriteAsync([write]).ConfigureAwait(false);
                        write.Done.TrySetResult(true);
                    }
                    catch (DbUpdateException)
                    {
                        await TakeStoredAsync(write.Key, write.Lease.Address).ConfigureAwait(false);
                        write.Done.TrySetResult(false);
                    }
                    catch (Exception ex)
                    {
                        write.Done.TrySetException(ex);
                    }
                }
            }
            catch (Exception ex)
            {
                foreach (PendingWrite write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }
        }
    }

    private static void Complete(List<PendingWrite> batch, bool result)
    {
        foreach (PendingWrite write in batch)
        {
            write.Done.TrySetResult(result);
        }
    }

    /// <summary>One transaction: the last state of each address in <paramref name="batch"/>.</summary>
    private async Task WriteAsync(IReadOnlyList<PendingWrite> batch)
    {
        Dictionary<uint, DhcpLease> last = [];
        foreach (PendingWrite write in batch)
        {
            last[write.Key] = write.Lease;
        }
        await using InventoryDbContext db = database.CreateContext();
        List<uint> inserted = [];
        foreach ((uint key, DhcpLease lease) in last)
        {
            bool stored;
            lock (_storedLock)
            {
                stored = _stored.Contains(key);
            }
            if (stored)
            {
                db.DhcpLeases.Update(lease.Copy());
            }
            else
            {
                db.DhcpLeases.Add(lease.Copy());
                inserted.Add(key);
            }
        }
        await db.SaveChangesAsync().ConfigureAwait(false);
        lock (_storedLock)
        {
            _stored.UnionWith(inserted);
        }
    }

    /// <summary>The database's row of an address another appliance wrote first, in place of this book's.</summary>
    private async Task TakeStoredAsync(uint key, string address)
    {
        DhcpLease? stored;
        await using (InventoryDbContext fresh = database.CreateContext())
        {
            stored = await fresh.DhcpLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Address == address).ConfigureAwait(false);
        }
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Forget(key);
            if (stored is not null)
            {
                Remember(stored);
            }
            lock (_storedLock)
            {
                if (stored is null)
                {
                    _stored.Remove(key);
                }
                else
                {
                    _stored.Add(key);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private void Remember(DhcpLease lease)
    {
        uint key = Ipv4Interface.SortKey(lease.Address);
        _byAddress[key] = lease;
        if (!_byMac.TryGetValue(lease.Mac, out HashSet<uint>? addresses))
        {
            _byMac[lease.Mac] = addresses = [];
        }
        addresses.Add(key);
    }

    private void Forget(uint key)
    {
        if (_byAddress.Remove(key, out DhcpLease? old) && _byMac.TryGetValue(old.Mac, out HashSet<uint>? addresses))
        {
            addresses.Remove(key);
            if (addresses.Count == 0)
            {
                _byMac.Remove(old.Mac);
            }
        }
    }

    /// <summary>Lets the writes under way finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }
    }
}
