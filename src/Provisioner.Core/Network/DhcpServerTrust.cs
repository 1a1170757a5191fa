using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Network;

/// <summary>Which DHCP servers' ACKs may vouch for an IP→MAC binding (key <c>Preseed:TrustedDhcpServers</c>).</summary>
public sealed class DhcpTrustOptions
{
    /// <summary>
    /// The site's DHCP servers (IPv4 addresses). Default none: only a DHCP server on this machine
    /// (its own addresses, as dnsmasq beside the appliance, or the appliance's own DHCP later) is trusted.
    /// </summary>
    public IList<string> TrustedDhcpServers { get; } = [];
}

/// <summary>
/// Whether a DHCP ACK came from a server the appliance knows. The generic <c>/preseed</c> URL hands
/// a host's preseed (its build token, its root password hash) to whichever address the bindings
/// say is that host's: a spoofed ACK or ARP reply once made it hand one host's preseed to another
/// address. Only bindings vouched for by a known server count there (<see cref="IpMacBinding.Vouched"/>).
/// Anyone on the segment can still forge a known server's address: the per-host URL in the boot
/// config, which carries the build's token, is the one to use where that matters.
/// </summary>
public sealed class DhcpServerTrust(IOptions<DhcpTrustOptions> options, TimeProvider time)
{
    /// <summary>This machine's addresses are read again after this long (an ACK flood must not read them per packet).</summary>
    public static readonly TimeSpan LocalAddressesReuse = TimeSpan.FromSeconds(30);

    private readonly HashSet<IPAddress> _configured = [.. options.Value.TrustedDhcpServers
        .Select(text => Inventory.Ipv4Interface.TryParseAddress(text.Trim(), out IPAddress address) ? address : null)
        .OfType<IPAddress>()];

    private (HashSet<IPAddress> Addresses, long At)? _local;

    public bool Trusts(IPAddress server) => _configured.Contains(server) || LocalAddresses().Contains(server);

    private HashSet<IPAddress> LocalAddresses()
    {
        if (_local is { } known && time.GetElapsedTime(known.At) < LocalAddressesReuse)
        {
            return known.Addresses;
        }
        HashSet<IPAddress> addresses = [.. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork)];
        _local = (addresses, time.GetTimestamp());
        return addresses;
    }
}
