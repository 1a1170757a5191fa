using Provisioner.Core.Images;
using Provisioner.Core.Power;

namespace Provisioner.Core.Tests.Power;

/// <summary>
/// How ipmitool's words become the host page's. The lines are what Debian's ipmitool 1.8.19 printed
/// here (<c>-v -I lanplus</c>) against OpenIPMI's ipmi_sim; the system tests run it for real.
/// </summary>
public sealed class IpmiToolDriverTests
{
    private static readonly BmcConnection Bmc = new(BmcType.Ipmi, "192.0.2.21", "admin", "pw", null, false, false);

    private static PowerException Failure(params string[] lines) => IpmiToolDriver.Failure(Bmc, new ToolResult(1, lines, string.Empty));

    [Fact]
    public void WrongPassword_UnknownUser_NoAnswer_AreToldApart()
    {
        Assert.Equal("the BMC at 192.0.2.21 refused the session: wrong password for user 'admin' (ipmitool: RAKP 2 HMAC is invalid)",
            Failure("Loading IANA PEN Registry...", "> RAKP 2 HMAC is invalid", "Error: Unable to establish IPMI v2 / RMCP+ session").Message);
        Assert.StartsWith("the BMC at 192.0.2.21 refused the session: it has no user 'admin'",
            Failure("RAKP 2 message indicates an error : unauthorized name", "Error: Unable to establish IPMI v2 / RMCP+ session").Message, StringComparison.Ordinal);
        Assert.StartsWith("the BMC at 192.0.2.21 did not answer",
            Failure("Get Auth Capabilities error", "Error issuing Get Channel Authentication Capabilities request", "Error: Unable to establish IPMI v2 / RMCP+ session").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompletionCodeRefusal_IsUnsupported_OnlyByItsLastLine()
    {
        PowerException refused = Failure("Running Get VSO Capabilities my_addr 0x20, transit 0, target 0x20", "Invalid completion code received: Invalid command",
            "Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x8 rsp=0xcc): Invalid data field in request");
        Assert.True(refused.Unsupported);
        Assert.EndsWith("refused the request: Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x8 rsp=0xcc): Invalid data field in request", refused.Message, StringComparison.Ordinal);
        // A probe's "Invalid command" earlier in the verbose output is not the answer to the request.
        Assert.False(Failure("Invalid completion code received: Invalid command", "Chassis Power Control: Up/On failed: Node busy").Unsupported);
    }

    [Theory]
    [InlineData("192.0.2.21", "192.0.2.21", 623)]
    [InlineData("192.0.2.21:6230", "192.0.2.21", 6230)]
    [InlineData("bmc01.example.org:624", "bmc01.example.org", 624)]
    [InlineData("[2001:db8::21]:6231", "2001:db8::21", 6231)]
    [InlineData("2001:db8::21", "2001:db8::21", 623)]
    public void Endpoint_HostAndPort(string address, string host, int port) =>
        Assert.Equal((host, port), IpmiToolDriver.Endpoint(address));
}
