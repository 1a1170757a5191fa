using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Power;

/// <summary>
/// Power control of a VM through Redfish: the appliance's driver against the test's own DMTF-following
/// service (<see cref="RedfishService"/>) over HTTPS, which drives a real QEMU through QMP.
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class RedfishPowerTests : NamespaceTest
{
    private const string Mac = "52:54:00:22:00:02";
    private const string Password = "redfish-Pw-31";

    /// <summary>
    /// Certificate refused unless pinned (the error names the fingerprint to pin), wrong password refused
    /// with the service's words, "build and power-cycle" as GET system, PATCH Boot with the ETag (again
    /// after a 412), POST Reset On; the VM PXE-boots and fetches its config; cycle is ForceRestart (the
    /// service offers no PowerCycle); off is GracefulShutdown, then ForceOff if the VM stays on; a
    /// refused PATCH shows the Redfish error body's message.
    /// </summary>
    [Fact]
    public async Task PinnedCertificate_BuildAndPowerCycle_RequestSequence_VmPxeBoots_OffEndsQemu_ErrorBodiesInWords()
    {
        string dir = Files.Dir("site");
        string config = await IpmiPowerTests.ConfigAsync(dir, new { Power = new { SoftOffTimeout = "00:00:05", PollInterval = "00:00:03" } });
        PxeSite site = await PxeSite.StartAsync(Lab, dir, taps: 1, [("redvm", Mac, "192.0.2.32")], ["--config", config], [$"--dhcp-boot=pxelinux.0,,{PxeSite.ApplianceIp}"]);
        string socket = Path.Join(dir, "redfish.sock");
        await using RedfishService bmc = await RedfishService.StartAsync(socket, Password,
            () => Lab.StartProcess(site.Site, dir, site.VmCommand(0, Mac, uefi: false)).Process, site.Qmp(0));
        Lab.Start(site.Site, dir, "socat", "TCP-LISTEN:8443,bind=192.0.2.1,fork,reuseaddr", $"UNIX-CONNECT:{socket}");
        string right = await IpmiPowerTests.SecretFileAsync(dir, "right", Password);
        string wrong = await IpmiPowerTests.SecretFileAsync(dir, "wrong", "not-it");
        Task<ProcessResult> Cli(params string[] arguments) => site.ApplianceCliAsync([.. arguments, "--config", config]);

        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--type", "redfish", "--address", "https://192.0.2.1:8443", "--user", RedfishService.User, "--password-file", wrong)).ExitCode);
        ProcessResult untrusted = await Cli("hosts", "power", "redvm", "status");
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.Contains($"presented a certificate this machine does not trust (SHA-256 {bmc.Fingerprint})", untrusted.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--certificate-sha256", new string('0', 64))).ExitCode);
        Assert.Contains($"not the pinned one (it presented SHA-256 {bmc.Fingerprint})", (await Cli("hosts", "power", "redvm", "status")).StandardError, StringComparison.Ordinal);
        Assert.Empty(bmc.Requests);

        // Accepting any certificate (this BMC only) gets through TLS: the service answers, and refuses the wrong password.
        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--certificate-sha256", "", "--accept-any-certificate", "true")).ExitCode);
        Assert.Contains("refused user 'root': wrong user or password (401)", (await Cli("hosts", "power", "redvm", "status")).StandardError, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--accept-any-certificate", "false", "--certificate-sha256", bmc.Fingerprint)).ExitCode);
        ProcessResult refused = await Cli("hosts", "power", "redvm", "status");
        Assert.Contains("refused user 'root': wrong user or password (401): There is no valid session established with the implementation.", refused.StandardError, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--password-file", right)).ExitCode);
        Assert.Contains("host redvm: off", (await Cli("hosts", "power", "redvm", "status")).StandardOutput, StringComparison.Ordinal);

        bmc.Requests.Clear();
        bmc.StaleOnce = true;
        ProcessResult build = await Cli("hosts", "build", "redvm", "--power-cycle");
        Assert.True(build.ExitCode == 0, build.Output + "\n" + bmc.Log);
        Assert.Contains("host redvm: powered on (it was off)", build.StandardOutput, StringComparison.Ordinal);
        PxeSite.AssertInOrder(bmc.Log,
            "GET /redfish/v1/Systems\n", "GET /redfish/v1/Systems/1\n",
            "PATCH /redfish/v1/Systems/1 If-Match: W/\"1\" {\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"Pxe\"}}\n",
            "GET /redfish/v1/Systems/1\n",
            "PATCH /redfish/v1/Systems/1 If-Match: W/\"2\" {\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"Pxe\"}}\n",
            "GET /redfish/v1/Systems/1\n", "POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset {\"ResetType\":\"On\"}");
        Assert.NotNull(bmc.Vm);

        await site.WaitForTimelineAsync("redvm", "boot config", TimeSpan.FromMinutes(4));
        Assert.Contains("host redvm: on", (await Cli("hosts", "power", "redvm", "status")).StandardOutput, StringComparison.Ordinal);

        Assert.Contains("host redvm: power cycled", (await Cli("hosts", "power", "redvm", "cycle")).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("{\"ResetType\":\"ForceRestart\"}", bmc.Log, StringComparison.Ordinal);

        System.Diagnostics.Process qemu = bmc.Vm!;
        ProcessResult off = await Cli("hosts", "power", "redvm", "off");
        Assert.Contains("host redvm: powered off", off.StandardOutput, StringComparison.Ordinal);
        // The power button first; a VM still at its boot loader or installer does not act on it, so then the power is cut.
        Assert.Contains("{\"ResetType\":\"GracefulShutdown\"}", bmc.Log, StringComparison.Ordinal);
        if (off.StandardOutput.Contains("(hard)", StringComparison.Ordinal))
        {
            PxeSite.AssertInOrder(bmc.Log, "{\"ResetType\":\"GracefulShutdown\"}", "{\"ResetType\":\"ForceOff\"}");
        }
        await NamespaceLab.WaitForAsync(() => Task.FromResult(qemu.HasExited), TimeSpan.FromSeconds(30), "QEMU to end");
        Assert.Contains("host redvm: off", (await Cli("hosts", "power", "redvm", "status")).StandardOutput, StringComparison.Ordinal);

        // A BMC that cannot do what is asked says why in its error body; the host page and CLI say it too.
        Assert.Equal(0, (await Cli("hosts", "bmc", "redvm", "--uefi", "true")).ExitCode);
        ProcessResult legacy = await Cli("hosts", "power", "redvm", "pxe");
        Assert.NotEqual(0, legacy.ExitCode);
        Assert.Contains("refused PATCH /redfish/v1/Systems/1: 400 Bad Request: The value UEFI for the property BootSourceOverrideMode is not in the list of acceptable values.",
            legacy.StandardError, StringComparison.Ordinal);

        string timeline = await site.ShowAsync("redvm");
        PxeSite.AssertInOrder(timeline, "power: cycle into PXE requested (redfish https://192.0.2.1:8443)", "power: next boot from the network, once", "power: powered on (it was off)",
            "boot config", "power: cycle requested", "power: power cycled", "power: off requested", "power: soft off sent", "power: powered off",
            "power: cycle into PXE failed: the Redfish service at https://192.0.2.1:8443 refused PATCH");
        Assert.DoesNotContain(Password, site.ApplianceLog(), StringComparison.Ordinal);
    }
}
