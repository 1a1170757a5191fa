using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

public sealed class HostValidatorTests
{
    private static readonly HostFields Good = new()
    {
        Mac = "AABB.CCDD.EE01", Hostname = "Web01", Ip = "192.0.2.10/24", Gateway = "192.0.2.1",
        Dns = ["192.0.2.53"], Domain = "example.org", Profile = "debian12", Console = "ttyS1,115200n8",
    };

    private readonly HostValidator _validator = new(new FixedProfiles("debian12", "ubuntu2004"));

    [Fact]
    public void Apply_GoodFields_StoresCanonicalForms()
    {
        HostRecord host = NewHost();
        Assert.Empty(_validator.Apply(Good, host));
        Assert.Equal("aa:bb:cc:dd:ee:01", host.Mac);
        Assert.Equal("web01", host.Hostname);
        Assert.Equal("192.0.2.10", host.Ip);
        Assert.Equal(24, host.PrefixLength);
        Assert.Equal("ttyS1,115200n8", host.Console);
        Assert.Equal("web01.example.org", host.Fqdn);
    }

    [Fact]
    public void Apply_Fqdn_SplitsHostnameAndDomain()
    {
        HostRecord host = NewHost();
        Assert.Empty(_validator.Apply(Good with { Hostname = "db1.rack2.example.org", Domain = null }, host));
        Assert.Equal("db1", host.Hostname);
        Assert.Equal("rack2.example.org", host.Domain);
    }

    [Fact]
    public void Apply_NoProfile_TakesDefault()
    {
        HostRecord host = NewHost();
        Assert.Empty(_validator.Apply(Good with { Profile = null }, host));
        Assert.Equal(HostValidator.DefaultProfile, host.Profile);
    }

    [Theory]
    [InlineData("mac", "zz:bb:cc:dd:ee:01", "not a MAC address")]
    [InlineData("mac", "", "required")]
    [InlineData("hostname", "-web", "not an RFC 1123 host name")]
    [InlineData("hostname", "web_01", "not an RFC 1123 host name")]
    [InlineData("hostname", "", "required")]
    [InlineData("ip", "192.0.2.10", "no prefix length")]
    [InlineData("ip", "300.0.2.10/24", "not an IPv4 address")]
    [InlineData("gateway", "198.51.100.1", "outside the host's subnet")]
    [InlineData("gateway", "192.0.2.10", "host's own address")]
    [InlineData("gateway", "gw", "not an IPv4 address")]
    [InlineData("dns", "dns.example", "not an IPv4 address")]
    [InlineData("domain", "exa mple.org", "not a domain name")]
    [InlineData("profile", "windows", "has no template")]
    [InlineData("console", "com1", "not a serial console")]
    [InlineData("kernelArgs", "quiet\nsplash", "one line")]
    [InlineData("ip", "192.0.2.010/24", "leading zero")]
    [InlineData("ip", "192.0.2.08/24", "leading zero")]
    [InlineData("ip", "224.0.0.5/24", "multicast")]
    [InlineData("ip", "127.0.0.2/8", "loopback")]
    [InlineData("gateway", "192.0.2.01", "leading zero")]
    [InlineData("dns", "192.0.2.053", "leading zero")]
    [InlineData("mac", "ff:ff:ff:ff:ff:ff", "broadcast")]
    [InlineData("mac", "00:00:00:00:00:00", "all zeros")]
    [InlineData("mac", "01:00:5e:00:00:01", "multicast")]
    public void Apply_BadField_NamesTheFieldAndLeavesHostUntouched(string field, string value, string expected)
    {
        HostRecord host = NewHost();
        IReadOnlyList<FieldError> errors = _validator.Apply(With(field, value), host);
        FieldError error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("unset", host.Mac);
    }

    [Fact]
    public void Apply_OverLongFields_AreRefused()
    {
        IReadOnlyList<FieldError> errors = _validator.Apply(Good with
        {
            Hostname = new string('a', 64),
            Domain = string.Join('.', Enumerable.Repeat(new string('b', 60), 5)),
            KernelArgs = new string('k', HostValidator.MaxKernelArgsLength + 1),
            Notes = new string('n', HostValidator.MaxNotesLength + 1),
        }, NewHost());
        Assert.Equal(["hostname", "domain", "kernelArgs", "notes"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Contains("longer than", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_SeveralBadFields_ReportsEveryOne()
    {
        IReadOnlyList<FieldError> errors = _validator.Apply(new HostFields { Mac = "x", Hostname = "_", Ip = "1.2.3" }, NewHost());
        Assert.Equal(["mac", "hostname", "ip"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Apply_FourDnsServers_IsRefused()
    {
        IReadOnlyList<FieldError> errors = _validator.Apply(Good with { Dns = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] }, NewHost());
        Assert.Equal("dns", Assert.Single(errors).Field);
    }

    private static HostFields With(string field, string value) => field switch
    {
        "mac" => Good with { Mac = value },
        "hostname" => Good with { Hostname = value },
        "ip" => Good with { Ip = value },
        "gateway" => Good with { Gateway = value },
        "dns" => Good with { Dns = [value] },
        "domain" => Good with { Domain = value },
        "profile" => Good with { Profile = value },
        "console" => Good with { Console = value },
        "kernelArgs" => Good with { KernelArgs = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static HostRecord NewHost() => new() { Mac = "unset", Hostname = "unset", Ip = "unset", Profile = "unset" };
}
