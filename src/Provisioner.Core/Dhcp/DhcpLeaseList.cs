using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Dhcp;

/// <summary>The leases on record, from the database (every appliance's on a shared PostgreSQL), in address order.</summary>
public sealed class DhcpLeaseList(InventoryDatabase database, TimeProvider time)
{
    /// <summary>Every lease, or only those held now (<paramref name="activeOnly"/>).</summary>
    public async Task<List<DhcpLease>> ListAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        List<DhcpLease> leases;
        await using (InventoryDbContext db = database.CreateContext())
        {
            leases = await db.DhcpLeases.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        return [.. leases.Where(l => !activeOnly || l.IsActive(now)).OrderBy(l => Ipv4Interface.SortKey(l.Address))];
    }
}
