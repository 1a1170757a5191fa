using System.Net;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Dhcp;

/// <summary>A served network as read from <see cref="DhcpSubnetOptions"/>: checked, with addresses as numbers.</summary>
public sealed record DhcpSubnet(Ipv4Interface Network, IReadOnlyList<AddressRange> Pools, IPAddress? Router, IReadOnlyList<IPAddress> Dns,
    string? Domain, TimeSpan LeaseTime, IPAddress? BootServer)
{
    public bool Contains(IPAddress address) => Network.Contains(address);

    public bool InPool(uint address) => Pools.Any(p => p.Contains(address));

    /// <summary>The network (<c>192.0.2.0/24</c>), as written in messages.</summary>
    public string Name => $"{Network.Network}/{Network.PrefixLength}";

    /// <summary>The range of host addresses (network and broadcast left out).</summary>
    public AddressRange Hosts
    {
        get
        {
            uint network = Ipv4Interface.ToUInt32(Network.Network);
            uint size = Network.PrefixLength >= 31 ? 1u << (32 - Network.PrefixLength) : (1u << (32 - Network.PrefixLength)) - 2;
            return Network.PrefixLength >= 31 ? new(network, network + size - 1) : new(network + 1, network + size);
        }
    }
}
