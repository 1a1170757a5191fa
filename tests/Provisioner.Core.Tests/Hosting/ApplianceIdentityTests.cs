using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Hosting;

public class ApplianceIdentityTests
{
    [Theory]
    [InlineData("vm", "vm")]
    [InlineData("Rack_A.example.org", "rack-a")]
    [InlineData("-edge-", "edge")]
    [InlineData("___", "appliance")]
    [InlineData("", "appliance")]
    public void DefaultName_AnyMachineName_IsOneLabel(string machine, string expected) =>
        Assert.Equal(expected, ApplianceOptions.DefaultName(machine));

    [Fact]
    public void DefaultName_LongMachineName_CutToALabel()
    {
        string name = ApplianceOptions.DefaultName(new string('a', 62) + "-bcd");

        Assert.Equal(new string('a', 62), name);
        Assert.True(HostNames.IsLabel(name));
    }

    [Theory]
    [InlineData("rack a")]
    [InlineData("rack.a")]
    [InlineData("-rack")]
    public void Constructor_GivenNameNotALabel_FailsNamingTheOption(string name)
    {
        var ex = Assert.Throws<FormatException>(() => new ApplianceIdentity(Options.Create(new ApplianceOptions { Name = name })));

        Assert.Contains("--appliance", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("rack-a", true)]
    [InlineData("rack-b", false)]
    public void Builds_PinnedElsewhere_IsFalse(string? pinned, bool expected)
    {
        var identity = new ApplianceIdentity(Options.Create(new ApplianceOptions { Name = "Rack-A" }));
        var host = new HostRecord { Mac = "52:54:00:00:00:01", Hostname = "h", Ip = "192.0.2.5", Profile = "debian12", Appliance = pinned };

        Assert.Equal("rack-a", identity.Name);
        Assert.Equal(expected, identity.Builds(host));
    }
}
