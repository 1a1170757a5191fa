using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Install;

/// <summary>
/// A real PXE client end to end (see <see cref="PxeSite"/>): a registered BIOS VM in build mode
/// PXE-boots the real Debian 12 installer with its iPXE ROM (TCG) and must get as far as its static
/// address, on the card it booted from although another card comes first (pxelinux's BOOTIF); an
/// unregistered one, booted beside it, must be discovered and get the local-boot default.
/// The installer takes its packages from the appliance's mirror, whose only way to the archive is the
/// test's relay (<see cref="ArchiveRelay"/>); the archive as reached here refuses every <c>.udeb</c>, so
/// the installer finds the mirror good (its Release crosses the relay) and then stops at a question nobody
/// will answer about the components it could not download: the build must fail at once, in the
/// installer's words, and say so to a webhook.
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class DebianInstallerTests(Xunit.Abstractions.ITestOutputHelper output) : NamespaceTest
{
    private const string Mac = "52:54:00:12:34:56";
    private const string UnknownMac = "52:54:00:12:34:57";
    private const string SpareMac = "52:54:00:12:34:58";
    private const string StaticIp = "192.0.2.10";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Debian12_PxeBootedInQemu_TimelineInOrder_LogShowsStaticAddress_UnknownMachineDiscoveredAndBootsLocally_StopFailsTheBuild()
    {
        string dir = Files.Dir("site");
        // The webhook: a receiver on a Unix socket, reached from the appliance's namespace through socat on its loopback.
        string socket = Path.Join(dir, "hook.sock");
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync(socket);
        string config = Path.Join(dir, "alerts.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Alerts = new { Webhooks = new[] { "http://127.0.0.1:9000/hook" } },
            Mirror = new { UpstreamProxy = "http://127.0.0.1:3128" },
        }));
        await using var relay = ArchiveRelay.Start(Path.Join(dir, "archive.sock"));
        PxeSite site = await PxeSite.StartAsync(Lab, dir, taps: 2, [("test01", Mac, StaticIp)], ["--config", config], [$"--dhcp-boot=pxelinux.0,,{PxeSite.ApplianceIp}"]);
        Lab.Start(site.Appliance, dir, "socat", "TCP-LISTEN:9000,bind=127.0.0.1,fork,reuseaddr", $"UNIX-CONNECT:{socket}");
        Lab.Start(site.Appliance, dir, relay.SocatCommand(3128));
        site.StartVm(0, Mac, uefi: false, spareMac: SpareMac);
        site.StartVm(1, UnknownMac, uefi: false);

        // The installer runs early_command (callback, then netcfg again with the static settings) and
        // then speaks from the static address: the appliance learns it from the guest's ARP.
        await site.WaitForTimelineAsync("test01", "installer started (early_command)", Limit);
        await NamespaceLab.WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", ["-n", site.Appliance.Name, "neigh", "show", StaticIp], TimeSpan.FromSeconds(10))).StandardOutput.Contains(Mac, StringComparison.Ordinal), TimeSpan.FromMinutes(2), $"traffic from {StaticIp}");

        string timeline = await site.ShowAsync("test01");
        PxeSite.AssertInOrder(timeline,
            "capture  pending    PXE DHCP seen, arch BIOS",
            "pxelinux.0 transferred",
            "boot config pxelinux.cfg/01-52-54-00-12-34-56 served to 192.0.2.1",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched by 192.0.2.1",
            "installer started (early_command)");
        // The state when the installer started (by now the build may have gone on to fail, below).
        Assert.Matches(@"callback +installing +installer started \(early_command\)", timeline);

        // The installer's own log, streamed to the appliance: netcfg, re-run by early_command, took
        // the inventory's static address and hostname; main-menu's steps reached the timeline.
        string log = string.Empty;
        await NamespaceLab.WaitForAsync(async () =>
        {
            log = await NamespaceLab.CliAsync(site.Dir, "hosts", "log", "test01");
            return log.Contains("Writing static IPv4 stanza", StringComparison.Ordinal);
        }, TimeSpan.FromMinutes(1), "netcfg's static configuration in the installer log");
        Assert.Matches($@"Z netcfg\[\d+\]: ARPING 192\.0\.2\.1 from {StaticIp.Replace(".", "\\.", StringComparison.Ordinal)} ", log);
        Assert.Matches(@"Z netcfg\[\d+\]: DEBUG: test01 is a valid FQDN", log);
        // The spare card is listed first; netcfg took the one that booted, by the MAC pxelinux appended.
        Assert.Matches($@"netcfg\[\d+\]: .*Found interface \S+ with link-layer address {Mac}", log);
        Assert.Contains("syslog   installing installer step network-preseed", await site.ShowAsync("test01"), StringComparison.Ordinal);

        // The unregistered VM: discovered, and answered with the default (local boot) config.
        Assert.Contains($"\"mac\":\"{UnknownMac}\"", (await site.CurlAsync("/api/discovered")).StandardOutput, StringComparison.Ordinal);
        await NamespaceLab.WaitForAsync(() => Task.FromResult(site.ApplianceLog().Contains("pxelinux.cfg/default: sent", StringComparison.Ordinal)), TimeSpan.FromMinutes(2), "pxelinux.cfg/default sent to the unknown machine");
        Assert.Contains("pxelinux.cfg/01-52-54-00-12-34-57: refused with ERROR 1", site.ApplianceLog(), StringComparison.Ordinal);

        // choose-mirror checks the appliance's mirror (its Release crosses the relay); the installer's
        // components then fail to download (404) and d-i shows its error at critical priority; nobody
        // will answer it. The build fails from the installer's log (not the 30-minute stall), in its words.
        await site.WaitForTimelineAsync("test01", "installer stopped at ", Limit);
        string failed = await site.ShowAsync("test01");
        Assert.True(relay.Count("dists/bookworm/Release") + relay.Count("dists/bookworm/InRelease") > 0, "d-i's mirror check did not reach the archive through the appliance's mirror");
        Assert.Contains("\"state\": \"failed\"", failed, StringComparison.Ordinal);
        Assert.True(failed.Contains("syslog   failed     installer stopped at download-installer: waiting for an answer to retriever/net/error", StringComparison.Ordinal),
            $"not stopped at download-installer:\n{failed}\n--- installer log, end:\n{string.Join('\n', (await NamespaceLab.CliAsync(site.Dir, "hosts", "log", "test01")).Split('\n').TakeLast(60))}");
        Assert.Contains("ERROR 404: Not Found", failed, StringComparison.Ordinal);
        // The udeb d-i asked for crossed the relay and the archive refused it; the mirror passed the 404 on and cached nothing.
        Assert.Contains(relay.Requests, r => r.Path.EndsWith(".udeb", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Join(site.Dir, "data", "mirror", "debian"), "*.udeb", SearchOption.AllDirectories));
        JsonElement alert = await webhook.AlertAsync("build.failed", TimeSpan.FromMinutes(1));
        Assert.Equal("test01", alert.GetProperty("host").GetProperty("hostname").GetString());
        Assert.StartsWith("installer stopped at download-installer: waiting for an answer to retriever/net/error", alert.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // For the record (not asserted: tests do not time the machine): the question's line as the appliance
        // received it, the failure, and the installer's lines around them.
        string installerLog = await NamespaceLab.CliAsync(site.Dir, "hosts", "log", "test01");
        output.WriteLine(string.Join('\n', installerLog.Split('\n').Where(l => l.Contains("mirror", StringComparison.Ordinal)).TakeLast(12)));
        output.WriteLine(string.Join('\n', relay.Requests.Select(r => $"{r.Method} {r.Path} {r.Bytes}")));
        output.WriteLine(string.Join('\n', failed.Split('\n').Where(l => l.Contains("installer stopped", StringComparison.Ordinal))));
    }
}
