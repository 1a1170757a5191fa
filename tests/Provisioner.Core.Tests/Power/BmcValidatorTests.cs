using Provisioner.Core.Power;

namespace Provisioner.Core.Tests.Power;

public sealed class BmcValidatorTests
{
    private static string Protect(string password) => $"protected({password.Length})";

    private static (HostBmc? Bmc, string Errors) Merge(BmcSettings given, HostBmc? stored = null)
    {
        (HostBmc? merged, List<Provisioner.Core.Inventory.FieldError> errors) = BmcValidator.Merge(stored, given, Protect);
        return (merged, string.Join("\n", errors));
    }

    [Fact]
    public void NewIpmiBmc_NeedsTypeAddressUserPassword_PasswordProtected()
    {
        (HostBmc? bmc, string errors) = Merge(new BmcSettings("IPMI", " 192.0.2.21:6230 ", "admin", "secret"));
        Assert.Equal(string.Empty, errors);
        Assert.Equal(BmcType.Ipmi, bmc!.Type);
        Assert.Equal("192.0.2.21:6230", bmc.Address);
        Assert.Equal("protected(6)", bmc.PasswordProtected);

        (bmc, errors) = Merge(new BmcSettings("ipmi", "192.0.2.21"));
        Assert.Null(bmc);
        Assert.Contains("bmc.user: the BMC user is needed", errors, StringComparison.Ordinal);
        Assert.Contains("bmc.password: the BMC password is needed", errors, StringComparison.Ordinal);
        Assert.Contains("bmc.type: the host has no BMC yet", Merge(new BmcSettings(Address: "192.0.2.21")).Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipmi", "192.0.2.21:99999", "is not an IPMI address")]
    [InlineData("ipmi", "-oProxyCommand=x", "is not an IPMI address")]
    [InlineData("ipmi", "bmc 01", "without spaces")]
    [InlineData("redfish", "http://192.0.2.21", "HTTPS only")]
    [InlineData("redfish", "https://192.0.2.21/redfish/v1", "is not a Redfish service address")]
    [InlineData("redfish", "https://root:pw@192.0.2.21", "is not a Redfish service address")]
    [InlineData("snmp", "192.0.2.21", "'snmp' is not a BMC type: ipmi or redfish")]
    public void BadAddressOrType_IsRefusedInWords(string type, string address, string expected) =>
        Assert.Contains(expected, Merge(new BmcSettings(type, address, "admin", "secret")).Errors, StringComparison.Ordinal);

    [Fact]
    public void IpmiLimits_UserSixteenBytes_PasswordTwentyBytes()
    {
        Assert.Contains("IPMI user names are at most 16 bytes", Merge(new BmcSettings("ipmi", "bmc01", new string('u', 17), "secret")).Errors, StringComparison.Ordinal);
        Assert.Contains("IPMI passwords are 1 to 20 bytes", Merge(new BmcSettings("ipmi", "bmc01", "admin", new string('p', 21))).Errors, StringComparison.Ordinal);
        Assert.Contains("IPMI passwords are 1 to 20 bytes", Merge(new BmcSettings("ipmi", "bmc01", "admin", string.Empty)).Errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, Merge(new BmcSettings("redfish", "bmc01", "admin", new string('p', 40))).Errors);
    }

    [Fact]
    public void Redfish_AddressGetsHttps_PinNormalised_PinAndAcceptAnyRefusedTogether_IpmiHasNoCertificates()
    {
        string pin = string.Join(':', Enumerable.Range(0, 32).Select(i => $"{i:x2}"));
        (HostBmc? bmc, string errors) = Merge(new BmcSettings("redfish", "bmc01.example.org:8443", "root", "calvin", pin));
        Assert.Equal(string.Empty, errors);
        Assert.Equal("https://bmc01.example.org:8443", bmc!.Address);
        Assert.Equal(string.Concat(Enumerable.Range(0, 32).Select(i => $"{i:X2}")), bmc.CertificateSha256);

        Assert.Contains("pin a certificate or accept any, not both", Merge(new BmcSettings("redfish", "bmc01", "root", "calvin", pin, AcceptAnyCertificate: true)).Errors, StringComparison.Ordinal);
        Assert.Contains("64 hex digits", Merge(new BmcSettings("redfish", "bmc01", "root", "calvin", "AB:CD")).Errors, StringComparison.Ordinal);
        Assert.Contains("certificate settings are for Redfish BMCs", Merge(new BmcSettings("ipmi", "bmc01", "root", "calvin", AcceptAnyCertificate: true)).Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void ExistingBmc_WhatIsLeftOutStays_PasswordKeptUnlessGiven_EmptyPinClears()
    {
        var stored = new HostBmc
        {
            HostId = 7, Type = BmcType.Redfish, Address = "https://bmc01", User = "root", PasswordProtected = "old",
            CertificateSha256 = new string('A', 64), UefiBoot = true,
        };
        (HostBmc? bmc, string errors) = Merge(new BmcSettings(User: "operator"), stored);
        Assert.Equal(string.Empty, errors);
        Assert.Equal(("https://bmc01", "operator", "old", new string('A', 64), true), (bmc!.Address, bmc.User, bmc.PasswordProtected, bmc.CertificateSha256, bmc.UefiBoot));
        (bmc, _) = Merge(new BmcSettings(Password: "new-one", CertificateSha256: ""), stored);
        Assert.Equal(("protected(7)", null), (bmc!.PasswordProtected, bmc.CertificateSha256));
    }
}
