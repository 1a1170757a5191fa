using System.Net;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// The networks the DHCP server serves, read from <c>Dhcp:Subnets</c>. What cannot work (a range
/// outside its subnet, two ranges sharing addresses, a router outside the network) is a line for the
/// operator at start (<see cref="Problems"/>), never a guess.
/// </summary>
public sealed class DhcpSubnets
{
    private const string Key = "Dhcp:Subnets";

    private DhcpSubnets(IReadOnlyList<DhcpSubnet> all) => All = all;

    public IReadOnlyList<DhcpSubnet> All { get; }

    /// <summary>The networks, <c>192.0.2.0/24, 198.51.100.0/24</c>, for messages.</summary>
    public string Names => string.Join(", ", All.Select(s => s.Name));

    /// <summary>The subnet holding <paramref name="address"/> (an interface's, or a relay's giaddr), or null.</summary>
    public DhcpSubnet? For(IPAddress address) => All.FirstOrDefault(s => s.Contains(address));

    public static DhcpSubnets From(DhcpServiceOptions options) => new(Read(options, []));

    /// <summary>Every line that makes the settings impossible; none when they are good.</summary>
    public static IEnumerable<string> Problems(DhcpServiceOptions options)
    {
        List<string> problems = [];
        List<DhcpSubnet> subnets = Read(options, problems);
        for (int a = 0; a < subnets.Count; a++)
        {
            for (int b = a + 1; b < subnets.Count; b++)
            {
                if (subnets[a].Network.Contains(subnets[b].Network.Network) || subnets[b].Network.Contains(subnets[a].Network.Network))
                {
                    problems.Add($"{Key}:{a} ({subnets[a].Name}) and {Key}:{b} ({subnets[b].Name}) overlap: each network is one entry");
                }
            }
        }
        var ranges = subnets.SelectMany((s, i) => s.Pools.Select(p => (Subnet: i, Range: p))).ToList();
        for (int a = 0; a < ranges.Count; a++)
        {
            for (int b = a + 1; b < ranges.Count; b++)
            {
                if (ranges[a].Range.Overlaps(ranges[b].Range))
                {
                    problems.Add($"{Key}: ranges {ranges[a].Range} and {ranges[b].Range} overlap: an address may be in one range only");
                }
            }
        }
        if (!options.UnknownClients.Equals("serve", StringComparison.OrdinalIgnoreCase) && !options.UnknownClients.Equals("ignore", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Dhcp:UnknownClients is '{options.UnknownClients}': it must be serve or ignore");
        }
        return problems;
    }

    private static List<DhcpSubnet> Read(DhcpServiceOptions options, List<string> problems)
    {
        List<DhcpSubnet> subnets = [];
        for (int i = 0; i < options.Subnets.Count; i++)
        {
            if (Read(options.Subnets[i], $"{Key}:{i}", problems) is { } subnet)
            {
                subnets.Add(subnet);
            }
        }
        return subnets;
    }

    private static DhcpSubnet? Read(DhcpSubnetOptions entry, string key, List<string> problems)
    {
        if (!Ipv4Interface.TryParse(NetworkAddressAllowed(entry.Subnet), null, out Ipv4Interface network, out string error))
        {
            problems.Add($"{key}:Subnet: {(entry.Subnet is null ? "missing (write it as 192.0.2.0/24)" : error)}");
            return null;
        }
        network = new Ipv4Interface(network.Network, network.PrefixLength);
        var subnet = new DhcpSubnet(network, [], null, [], NonEmpty(entry.Domain), entry.LeaseTime, null);
        AddressRange hosts = subnet.Hosts;
        List<AddressRange> pools = [];
        for (int r = 0; r < entry.Ranges.Count; r++)
        {
            if (!AddressRange.TryParse(entry.Ranges[r], out AddressRange range, out error))
            {
                problems.Add($"{key}:Ranges:{r}: {error}");
            }
            else if (!hosts.Contains(range.First) || !hosts.Contains(range.Last))
            {
                problems.Add($"{key}:Ranges:{r}: {range} is not inside {subnet.Name} (host addresses {hosts})");
            }
            else
            {
                pools.Add(range);
            }
        }
        IPAddress? router = Address(entry.Router, $"{key}:Router", subnet, problems);
        IPAddress? bootServer = Address(entry.BootServer, $"{key}:BootServer", null, problems);
        List<IPAddress> dns = [];
        for (int d = 0; d < entry.Dns.Count; d++)
        {
            if (Address(entry.Dns[d], $"{key}:Dns:{d}", null, problems) is { } server)
            {
                dns.Add(server);
            }
        }
        if (entry.LeaseTime < TimeSpan.FromMinutes(1) || entry.LeaseTime.TotalSeconds >= uint.MaxValue)
        {
            problems.Add($"{key}:LeaseTime is {entry.LeaseTime}: it must be 1 minute or more (hh:mm:ss)");
        }
        // With its good parts even when others are bad, so the checks across entries (overlaps) still run.
        return subnet with { Pools = pools, Router = router, Dns = dns, BootServer = bootServer };
    }

    /// <summary>A subnet is written by its network address, which <see cref="Ipv4Interface.TryParse"/> refuses as a host's.</summary>
    private static string? NetworkAddressAllowed(string? text)
    {
        if (text is null || !text.Contains('/', StringComparison.Ordinal))
        {
            return text;
        }
        // Parse as the first host address of the network, then the caller takes the network.
        string[] parts = text.Split('/', 2);
        return Ipv4Interface.TryParseAddress(parts[0].Trim(), out IPAddress address) && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prefix) && prefix is >= 1 and <= 30
            ? $"{Ipv4Interface.FromUInt32(Ipv4Interface.ToUInt32(address) | 1)}/{prefix}"
            : text;
    }

    private static IPAddress? Address(string? text, string key, DhcpSubnet? inside, List<string> problems)
    {
        if (NonEmpty(text) is not { } value)
        {
            return null;
        }
        if (!Ipv4Interface.TryParseAddress(value.Trim(), out IPAddress address, out string error))
        {
            problems.Add($"{key}: {error}");
            return null;
        }
        if (inside is not null && !inside.Contains(address))
        {
            problems.Add($"{key}: {address} is not inside {inside.Name}");
            return null;
        }
        return address;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
