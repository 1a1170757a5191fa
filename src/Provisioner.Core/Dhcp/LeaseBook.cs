using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// The leases, in the inventory database and in memory. Every decision about addresses is taken
/// holding <see cref="Gate"/>, and every change is written to the database before the reply goes
/// out (<see cref="SaveAsync"/>): a restart forgets nothing it told a client. Another appliance
/// on a shared PostgreSQL that took an address first wins it (the address is the key), and this
/// book learns of it then.
/// </summary>
public sealed class LeaseBook(InventoryDatabase database, ApplianceIdentity appliance)
{
    private readonly Dictionary<uint, DhcpLease> _byAddress = [];
    private readonly Dictionary<string, HashSet<uint>> _byMac = new(StringComparer.Ordinal);

    /// <summary>Held while deciding about any address; <see cref="At"/>, <see cref="OfMac"/> and <see cref="SaveAsync"/> expect it held.</summary>
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
    /// Writes <paramref name="lease"/> (a new object, not one the book holds) and then keeps it.
    /// False when another appliance holds that address in the database: the book then has its row.
    /// </summary>
    public async Task<bool> SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        uint key = Ipv4Interface.SortKey(lease.Address);
        lease.Appliance = appliance.Name;
        await using InventoryDbContext db = database.CreateContext();
        if (_byAddress.ContainsKey(key))
        {
            db.DhcpLeases.Update(lease);
        }
        else
        {
            db.DhcpLeases.Add(lease);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Inserted or deleted by someone else since this book read it: take the database's word.
            await using InventoryDbContext fresh = database.CreateContext();
            DhcpLease? stored = await fresh.DhcpLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Address == lease.Address, cancellationToken).ConfigureAwait(false);
            Forget(key);
            if (stored is not null)
            {
                Remember(stored);
            }
            return false;
        }
        Forget(key);
        Remember(lease);
        return true;
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
}
