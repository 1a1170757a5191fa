using Provisioner.Core.Dhcp;

namespace Provisioner.Core.Tests.Dhcp;

/// <summary><c>Dhcp:Subnets</c> as the operator writes it: what cannot work is a line naming the key, never a guess.</summary>
public sealed class DhcpSubnetsTests
{
    private static DhcpServiceOptions With(params DhcpSubnetOptions[] subnets)
    {
        var options = new DhcpServiceOptions();
        foreach (DhcpSubnetOptions subnet in subnets)
        {
            options.Subnets.Add(subnet);
        }
        return options;
    }

    private static DhcpSubnetOptions Subnet(string network, params string[] ranges)
    {
        var subnet = new DhcpSubnetOptions { Subnet = network };
        foreach (string range in ranges)
        {
            subnet.Ranges.Add(range);
        }
        return subnet;
    }

    [Fact]
    public void GoodSettings_HaveNoProblems_AndAreReadAsWritten()
    {
        DhcpServiceOptions options = With(Subnet("192.0.2.0/25", "192.0.2.100-192.0.2.109", "192.0.2.120"), Subnet("192.0.2.128/25", "192.0.2.200-192.0.2.209"));
        options.Subnets[0].Router = "192.0.2.1";
        Assert.Empty(DhcpSubnets.Problems(options));
        DhcpSubnets subnets = DhcpSubnets.From(options);
        Assert.Equal("192.0.2.0/25, 192.0.2.128/25", subnets.Names);
        Assert.Equal("192.0.2.128/25", subnets.For(System.Net.IPAddress.Parse("192.0.2.129"))!.Name);
        Assert.Null(subnets.For(System.Net.IPAddress.Parse("192.0.3.1")));
        Assert.Equal(11, subnets.All[0].Pools.Sum(p => p.Count));
        Assert.Equal("192.0.2.1-192.0.2.126", subnets.All[0].Hosts.ToString());
    }

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.200-192.0.2.100", "Dhcp:Subnets:0:Ranges:0: '192.0.2.200-192.0.2.100' starts after it ends")]
    [InlineData("192.0.2.0/24", "192.0.2.0-192.0.2.10", "Dhcp:Subnets:0:Ranges:0: 192.0.2.0-192.0.2.10 is not inside 192.0.2.0/24 (host addresses 192.0.2.1-192.0.2.254)")]
    [InlineData("192.0.2.0/24", "192.0.2.250-192.0.2.255", "Dhcp:Subnets:0:Ranges:0: 192.0.2.250-192.0.2.255 is not inside 192.0.2.0/24 (host addresses 192.0.2.1-192.0.2.254)")]
    [InlineData("192.0.2.0/24", "192.0.2.10-x", "Dhcp:Subnets:0:Ranges:0: '192.0.2.10-x' is not a range like 192.0.2.100-192.0.2.199 ('x' is not an IPv4 address like 192.0.2.10)")]
    [InlineData("192.0.2.0/24", "192.0.2.010", "Dhcp:Subnets:0:Ranges:0: '192.0.2.010' is not a range like 192.0.2.100-192.0.2.199 ('192.0.2.010' has an octet with a leading zero (010), which some tools read as octal: write it without the zero)")]
    [InlineData("192.0.2.0", "192.0.2.10", "Dhcp:Subnets:0:Subnet: '192.0.2.0' has no prefix length (write it as 192.0.2.0/24)")]
    public void ABadSubnetOrRange_IsOneLineNamingItsKey(string network, string range, string expected)
    {
        Assert.Equal([expected], DhcpSubnets.Problems(With(Subnet(network, range))));
    }

    [Fact]
    public void OverlappingRangesAndSubnets_RouterOutsideAndAShortLease_AreEachALine()
    {
        DhcpSubnetOptions first = Subnet("192.0.2.0/24", "192.0.2.100-192.0.2.150");
        first.Router = "192.0.3.1";
        first.LeaseTime = TimeSpan.FromSeconds(30);
        DhcpServiceOptions options = With(first, Subnet("192.0.2.128/25", "192.0.2.140-192.0.2.160"));
        options.UnknownClients = "maybe";
        Assert.Equal(
        [
            "Dhcp:Subnets:0:Router: 192.0.3.1 is not inside 192.0.2.0/24",
            "Dhcp:Subnets:0:LeaseTime is 00:00:30: it must be 1 minute or more (hh:mm:ss)",
            "Dhcp:Subnets:0 (192.0.2.0/24) and Dhcp:Subnets:1 (192.0.2.128/25) overlap: each network is one entry",
            "Dhcp:Subnets: ranges 192.0.2.100-192.0.2.150 and 192.0.2.140-192.0.2.160 overlap: an address may be in one range only",
            "Dhcp:UnknownClients is 'maybe': it must be serve or ignore",
        ], DhcpSubnets.Problems(options));
    }
}
