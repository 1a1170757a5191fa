using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// What start-up checks before the DHCP server answers anyone: each interface lies in a configured
/// subnet and outside its pool, and no registered host's address inside a pool is held by another
/// machine's lease. Each failure is the operator's one line (<see cref="DhcpSetupException"/>).
/// </summary>
internal static class DhcpStartupCheck
{
    public static void Interfaces(DhcpSubnets subnets, IReadOnlyList<DhcpListenerInterface> interfaces)
    {
        if (subnets.All.Count == 0)
        {
            throw new DhcpSetupException("--dhcp needs at least one Dhcp:Subnets entry (Subnet, Ranges, Router, ...) in the settings");
        }
        foreach (DhcpListenerInterface on in interfaces)
        {
            DhcpSubnet subnet = subnets.For(on.Address)
                ?? throw new DhcpSetupException($"{on.Name} ({on.Address}/{on.PrefixLength}) is in no Dhcp:Subnets entry: add one for {new Ipv4Interface(on.Address, on.PrefixLength).Network}/{on.PrefixLength}");
            uint own = Ipv4Interface.ToUInt32(on.Address);
            foreach (AddressRange pool in subnet.Pools.Where(p => p.Contains(own)))
            {
                throw new DhcpSetupException($"{on.Address}, {on.Name}'s own address, is inside the range {pool} of {subnet.Name}: move the range");
            }
        }
    }

    public static async Task ReservationsAsync(DhcpSubnets subnets, LeaseBook book, InventoryDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        List<(string Hostname, string Mac, string Ip)> hosts;
        await using (InventoryDbContext db = database.CreateContext())
        {
            hosts = [.. (await db.Hosts.AsNoTracking().Select(h => new { h.Hostname, h.Mac, h.Ip }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(h => (h.Hostname, h.Mac, h.Ip))];
        }
        foreach ((string hostname, string mac, string ip) in hosts)
        {
            uint address = Ipv4Interface.SortKey(ip);
            if (subnets.All.FirstOrDefault(s => s.InPool(address)) is not { } subnet || book.At(address) is not { } lease)
            {
                continue;
            }
            if (lease.Mac != mac && lease.IsActive(now))
            {
                throw new DhcpSetupException($"host {hostname} ({mac}) has address {ip}, inside the range of {subnet.Name}, and the lease of {lease.Mac} holds it until {lease.ExpiresAt:u}: give the host another address or move the range");
            }
        }
    }

    public static string Describe(IReadOnlyList<OtherDhcpServer> others) =>
        string.Join("; ", others.Select(o => $"{o.Server} on {o.Interface} (it offered {o.Offered})"));
}
