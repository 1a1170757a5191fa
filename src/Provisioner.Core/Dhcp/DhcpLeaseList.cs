using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Dhcp;

/// <summary>A lease as pages show it: held now or not, and the registered host with its MAC, if any.</summary>
public sealed record DhcpLeaseRow(DhcpLease Lease, bool Active, int? HostId, string? HostName);

/// <summary>A pool's use: its subnet and ranges as configured, how many addresses, how many nobody holds.</summary>
public sealed record DhcpPoolUse(string Subnet, string Ranges, long Size, long Free);

/// <summary>The leases on record, from the database (every appliance's on a shared PostgreSQL), in address order, and the pools' use.</summary>
public sealed class DhcpLeaseList(InventoryDatabase database, IOptions<DhcpServerOptions> listener, IOptions<DhcpServiceOptions> options, TimeProvider time)
{
    /// <summary>This appliance serves DHCP (<c>--dhcp</c>).</summary>
    public bool Serving => listener.Value.Enabled;

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

    /// <summary>The leases with their hosts, and each configured pool's use (none when this appliance does not serve DHCP).</summary>
    public async Task<(List<DhcpLeaseRow> Leases, List<DhcpPoolUse> Pools)> OverviewAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        List<DhcpLease> leases = await ListAsync(activeOnly: false, cancellationToken).ConfigureAwait(false);
        string[] macs = [.. leases.Select(l => l.Mac).Distinct()];
        Dictionary<string, (int Id, string Hostname)> hosts;
        await using (InventoryDbContext db = database.CreateContext())
        {
            hosts = (await db.Hosts.AsNoTracking().Where(h => macs.Contains(h.Mac)).Select(h => new { h.Mac, h.Id, h.Hostname }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .ToDictionary(h => h.Mac, h => (h.Id, h.Hostname), StringComparer.Ordinal);
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        List<DhcpLeaseRow> rows = [.. leases.Where(l => !activeOnly || l.IsActive(now))
            .Select(l => hosts.TryGetValue(l.Mac, out var host) ? new DhcpLeaseRow(l, l.IsActive(now), host.Id, host.Hostname) : new DhcpLeaseRow(l, l.IsActive(now), null, null))];
        List<DhcpPoolUse> pools = [];
        if (Serving)
        {
            foreach (DhcpSubnet subnet in DhcpSubnets.From(options.Value).All.Where(s => s.Pools.Count > 0))
            {
                long size = subnet.Pools.Sum(p => p.Count);
                long held = leases.Count(l => l.IsActive(now) && subnet.InPool(Ipv4Interface.SortKey(l.Address)));
                pools.Add(new DhcpPoolUse(subnet.Name, string.Join(", ", subnet.Pools), size, size - held));
            }
        }
        return (rows, pools);
    }
}
