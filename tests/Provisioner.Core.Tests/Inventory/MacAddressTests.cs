using Provisioner.Core.Inventory;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Inventory;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("aa:bb:cc:dd:ee:ff")]
    [InlineData("AA:BB:CC:DD:EE:FF")]
    [InlineData("aa-bb-cc-dd-ee-ff")]
    [InlineData("aabb.ccdd.eeff")]
    [InlineData("AABB.CCDD.EEFF")]
    [InlineData("aabbccddeeff")]
    [InlineData("  aa:bb:cc:dd:ee:ff ")]
    public void TryParse_AcceptedSpelling_GivesCanonicalForm(string text)
    {
        Assert.True(MacAddress.TryParse(text, out MacAddress mac));
        Assert.Equal("aa:bb:cc:dd:ee:ff", mac.ToString());
        Assert.Equal("01-aa-bb-cc-dd-ee-ff", mac.PxelinuxConfigName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb:cc:dd:ee:ff:00")]
    [InlineData("aa:bb-cc:dd:ee:ff")]
    [InlineData("gg:bb:cc:dd:ee:ff")]
    [InlineData("aabb.ccdd-eeff")]
    [InlineData("aabbccddeef")]
    [InlineData("+abbccddeeff")]
    [InlineData("aa:bb:cc:dd:ee:f ")]
    public void TryParse_Malformed_ReturnsFalse(string? text) =>
        Assert.False(MacAddress.TryParse(text, out _));

    [Fact]
    public void ToString_LeadingZeros_AreKept() =>
        Assert.Equal("00:01:02:0a:0b:0c", Parse("00-01-02-0A-0B-0C").ToString());

    private static MacAddress Parse(string text) => MacAddress.TryParse(text, out MacAddress mac) ? mac : throw new FormatException(text);
}
