using System.Text.Json;
using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Power;

/// <summary>
/// Power control of a VM through real IPMI: Debian's ipmitool (the appliance's driver) against OpenIPMI's
/// <c>ipmi_sim</c> as the BMC (<see cref="IpmiSimulator"/>), in namespaces the tests create.
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class IpmiPowerTests : NamespaceTest
{
    private const string Mac = "52:54:00:22:00:01";
    private const string Ip = "192.0.2.31";
    private const string Password = "bmc-Secret-77";
    private const string WrongPassword = "not-the-password";

    /// <summary>
    /// A VM whose BMC is ipmi_sim, off at first: a wrong password is refused with the reason; "build and
    /// power-cycle" sets PXE once (the simulator gets it) and powers it on; it PXE-boots and fetches its boot
    /// config from the appliance; power off ends the QEMU process; status follows; the password is in no
    /// log, answer, export or the database file.
    /// </summary>
    [Fact]
    public async Task BuildAndPowerCycle_VmPxeBootsFromOff_OffEndsQemu_WrongPasswordRefused_PasswordShownNowhere()
    {
        string dir = Files.Dir("site");
        string config = await ConfigAsync(dir, new { Power = new { SoftOffTimeout = "00:00:05", PollInterval = "00:00:02" } });
        PxeSite site = await PxeSite.StartAsync(Lab, dir, taps: 1, [("ipmivm", Mac, Ip)], ["--config", config], [$"--dhcp-boot=pxelinux.0,,{PxeSite.ApplianceIp}"]);
        IpmiSimulator bmc = await IpmiSimulator.StartAsync(Lab, site.Site, Files.Dir("bmc"), "192.0.2.1", 623, Password, site.VmCommand(0, Mac, uefi: false));
        string right = await SecretFileAsync(dir, "right", Password);
        string wrong = await SecretFileAsync(dir, "wrong", WrongPassword);
        var outputs = new List<string>();
        async Task<ProcessResult> Cli(params string[] arguments)
        {
            ProcessResult result = await site.ApplianceCliAsync([.. arguments, "--config", config]);
            outputs.Add(result.Output);
            return result;
        }

        ProcessResult set = await Cli("hosts", "bmc", "ipmivm", "--type", "ipmi", "--address", bmc.Address, "--user", IpmiSimulator.User, "--password-file", wrong);
        Assert.True(set.ExitCode == 0, set.Output);
        ProcessResult refused = await Cli("hosts", "power", "ipmivm", "status");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("wrong password for user 'admin'", refused.StandardError, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("hosts", "bmc", "ipmivm", "--password-file", right)).ExitCode);
        ProcessResult off = await Cli("hosts", "power", "ipmivm", "status");
        Assert.True(off.ExitCode == 0, off.Output);
        Assert.Contains("host ipmivm: off", off.StandardOutput, StringComparison.Ordinal);
        Assert.Null(bmc.VmPid);

        ProcessResult build = await Cli("hosts", "build", "ipmivm", "--power-cycle");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("host ipmivm: powered on (it was off)", build.StandardOutput, StringComparison.Ordinal);
        PxeSite.AssertInOrder(bmc.Requests, "set boot pxe", "set power 1");
        Assert.NotNull(bmc.VmPid);
        // The VM's own BMC device (KCS) is connected to the simulator.
        await NamespaceLab.WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", site.Site.Exec("ss", "-tnH", "state", "established", $"( dport = :{IpmiSimulator.VmPort(623)} )"),
            TimeSpan.FromSeconds(10))).StandardOutput.Trim().Length > 0, TimeSpan.FromSeconds(30), "QEMU's ipmi-bmc-extern connected to ipmi_sim");

        await site.WaitForTimelineAsync("ipmivm", "boot config", TimeSpan.FromMinutes(4));
        ProcessResult on = await Cli("hosts", "power", "ipmivm", "status");
        Assert.Contains("host ipmivm: on", on.StandardOutput, StringComparison.Ordinal);
        // The appliance's poller reads it too, and says so in the API.
        await NamespaceLab.WaitForAsync(async () => (await site.CurlAsync("/api/power")).StandardOutput.Contains("\"state\":\"on\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the poller's reading 'on' in /api/power");

        int qemu = bmc.VmPid!.Value;
        ProcessResult down = await Cli("hosts", "power", "ipmivm", "off");
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.Contains("host ipmivm: powered off", down.StandardOutput, StringComparison.Ordinal);
        await NamespaceLab.WaitForAsync(() => Task.FromResult(!Directory.Exists($"/proc/{qemu}")), TimeSpan.FromSeconds(30), $"QEMU (PID {qemu}) to end");
        Assert.Contains("host ipmivm: off", (await Cli("hosts", "power", "ipmivm", "status")).StandardOutput, StringComparison.Ordinal);

        string timeline = await site.ShowAsync("ipmivm");
        PxeSite.AssertInOrder(timeline, "power: cycle into PXE requested (ipmi 192.0.2.1:623)", "power: next boot from the network, once", "power: powered on (it was off)",
            "boot config", "power: off requested", "power: powered off");

        // The password: in no log line, CLI output, API answer, export, audit entry or the database file.
        string hostJson = (await site.CurlAsync("/api/hosts/1")).StandardOutput;
        int id = JsonDocument.Parse(hostJson).RootElement.GetProperty("id").GetInt32();
        string bmcJson = (await site.CurlAsync($"/api/hosts/{id}/bmc")).StandardOutput;
        Assert.Contains("\"passwordSet\":true", bmcJson, StringComparison.Ordinal);
        string[] places =
        [
            site.ApplianceLog(), string.Join('\n', outputs), hostJson, bmcJson, (await site.CurlAsync("/api/hosts")).StandardOutput,
            (await site.CurlAsync("/api/audit")).StandardOutput, (await site.CurlAsync($"/api/hosts/{id}/events")).StandardOutput,
            (await Cli("hosts", "export")).StandardOutput, (await Cli("hosts", "bmc", "ipmivm", "--json")).StandardOutput, timeline,
            System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Join(dir, "data", "provisioner.db"))),
        ];
        foreach (string place in places)
        {
            Assert.DoesNotContain(Password, place, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongPassword, place, StringComparison.Ordinal);
        }
    }

    internal static async Task<string> ConfigAsync(string dir, object settings)
    {
        string path = Path.Join(dir, "power.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(settings));
        return path;
    }

    internal static async Task<string> SecretFileAsync(string dir, string name, string password)
    {
        string path = Path.Join(dir, $"{name}.password");
        await File.WriteAllTextAsync(path, password + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
