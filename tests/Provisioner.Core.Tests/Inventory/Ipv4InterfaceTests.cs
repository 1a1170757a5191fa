using System.Net;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Inventory;

public sealed class Ipv4InterfaceTests
{
    [Fact]
    public void TryParse_AddressWithPrefix_GivesNetmaskAndNetwork()
    {
        Assert.True(Ipv4Interface.TryParse("192.0.2.10/24", null, out Ipv4Interface ip, out _));
        Assert.Equal("255.255.255.0", ip.Netmask.ToString());
        Assert.Equal("192.0.2.0", ip.Network.ToString());
        Assert.True(ip.Contains(IPAddress.Parse("192.0.2.1")));
        Assert.False(ip.Contains(IPAddress.Parse("192.0.3.1")));
    }

    [Fact]
    public void TryParse_BareAddressWithDefault_TakesDefaultPrefix()
    {
        Assert.True(Ipv4Interface.TryParse("192.0.2.10", 26, out Ipv4Interface ip, out _));
        Assert.Equal("192.0.2.10/26", ip.ToString());
        Assert.Equal("255.255.255.192", ip.Netmask.ToString());
    }

    [Theory]
    [InlineData("192.0.2.10", "no prefix length")]
    [InlineData("192.0.2.10/33", "between 1 and 32")]
    [InlineData("192.0.2.10/0", "between 1 and 32")]
    [InlineData("192.0.2.10/x", "no valid prefix")]
    [InlineData("192.0.2/24", "not an IPv4 address")]
    [InlineData("192.0.2.256/24", "not an IPv4 address")]
    [InlineData("1/24", "not an IPv4 address")]
    [InlineData("::1/64", "not an IPv4 address")]
    [InlineData("192.0.2.0/24", "network address")]
    [InlineData("192.0.2.255/24", "broadcast address")]
    [InlineData("192.0.2.010/24", "leading zero (010)")] // was stored as 192.0.2.8/24
    [InlineData("192.0.2.08/24", "leading zero (08)")] // was an HTTP 500
    [InlineData("192.0.2.0x1/24", "not an IPv4 address")]
    public void TryParse_Bad_ExplainsWhy(string text, string expected)
    {
        Assert.False(Ipv4Interface.TryParse(text, null, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Slash32_IsAHostAddress() =>
        Assert.True(Ipv4Interface.TryParse("192.0.2.0/32", null, out _, out _));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.1")]
    [InlineData("192.0.2.100")]
    public void TryParseAddress_PlainDecimal_ReadAsWritten(string text)
    {
        Assert.True(Ipv4Interface.TryParseAddress(text, out System.Net.IPAddress address, out _));
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("224.0.0.5", "multicast")]
    [InlineData("127.0.0.2", "loopback")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    public void Unusable_AddressesNoMachineBootsWith_SayWhy(string text, string expected) =>
        Assert.Contains(expected, Ipv4Interface.Unusable(System.Net.IPAddress.Parse(text)), StringComparison.Ordinal);

    [Fact]
    public void Unusable_AnOrdinaryHostAddress_IsNull() => Assert.Null(Ipv4Interface.Unusable(System.Net.IPAddress.Parse("192.0.2.10")));
}
