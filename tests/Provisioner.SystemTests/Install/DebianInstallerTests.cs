using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Install;

/// <summary>
/// A real PXE client end to end. Two network namespaces this test creates (192.0.2.0/24, no route
/// out): the "site" with a bridge, dnsmasq as the site's DHCP server (next-server and boot file
/// pointing at the appliance) and QEMU VMs on taps; the "appliance" joined to the bridge by a veth,
/// capturing on it. A registered VM in build mode PXE-boots the real Debian 12 installer with its
/// iPXE ROM (TCG) and must get as far as its static address; an unregistered one, booted beside
/// it, must be discovered and get the local-boot default.
/// </summary>
[Trait("Category", "System")]
public sealed class DebianInstallerTests : IAsyncLifetime
{
    private const string Mac = "52:54:00:12:34:56";
    private const string UnknownMac = "52:54:00:12:34:57";
    private const string ApplianceIp = "192.0.2.2";
    private const string StaticIp = "192.0.2.10";
    private const string Installer = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);
    private readonly TestFiles _files = new();
    private readonly NamespaceLab _lab = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Debian12_PxeBootedInQemu_TimelineInOrder_LogShowsStaticAddress_UnknownMachineDiscoveredAndBootsLocally()
    {
        string dir = _files.Dir("site");
        Directory.CreateDirectory(Path.Join(dir, "boot", "debian12"));
        File.Copy(Path.Join(Installer, "linux"), Path.Join(dir, "boot", "debian12", "linux"));
        File.Copy(Path.Join(Installer, "initrd.gz"), Path.Join(dir, "boot", "debian12", "initrd.gz"));
        // No router here: the installer's first (DHCP) network setup needs these on the kernel line (shared/notes/pxe-facts.md).
        await NamespaceLab.CliAsync(dir, "hosts", "add", "--mac", Mac, "--hostname", "test01.example.org", "--ip", $"{StaticIp}/24",
            "--dns", "192.0.2.1", "--console", "ttyS0,115200n8", "--kernel-args", "netcfg/no_default_route=true netcfg/get_nameservers=192.0.2.1");
        await NamespaceLab.CliAsync(dir, "hosts", "build", "test01");
        string token = (await NamespaceLab.CliAsync(dir, "token", "create")).Trim();

        NetworkNamespace site = await _lab.CreateNamespaceAsync();
        NetworkNamespace appliance = await _lab.CreateNamespaceAsync();
        await WireAsync(site, appliance);
        Func<string> applianceLog = _lab.Start(appliance, dir, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot",
            "--templates", InventoryAppliance.Templates, "--tftp", $"{ApplianceIp}:69", "--http", $"http://{ApplianceIp}:8080", "--interface", "eth0"]);
        await NamespaceLab.WaitForAsync(async () => (await Curl(appliance, token, "/healthz")).ExitCode == 0, TimeSpan.FromSeconds(60), "appliance healthy");
        _lab.Start(site, dir, ["dnsmasq", "--keep-in-foreground", "--port=0", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m", $"--dhcp-boot=pxelinux.0,,{ApplianceIp}", "--dhcp-option=3",
            "--dhcp-option=6,192.0.2.1", $"--dhcp-leasefile={Path.Join(dir, "leases")}", $"--pid-file={Path.Join(dir, "dnsmasq.pid")}"]);
        StartVm(site, dir, "tap0", Mac, "serial.log");
        StartVm(site, dir, "tap1", UnknownMac, "serial-unknown.log");

        // The installer runs early_command (callback, then netcfg again with the static settings) and
        // then speaks from the static address: the appliance learns it from the guest's ARP.
        await NamespaceLab.WaitForAsync(async () => (await NamespaceLab.CliAsync(dir, "hosts", "show", "test01")).Contains("installer started (early_command)", StringComparison.Ordinal), Limit, "the early_command callback");
        await NamespaceLab.WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", ["-n", appliance.Name, "neigh", "show", StaticIp], TimeSpan.FromSeconds(10))).StandardOutput.Contains(Mac, StringComparison.Ordinal), TimeSpan.FromMinutes(2), $"traffic from {StaticIp}");

        string timeline = await NamespaceLab.CliAsync(dir, "hosts", "show", "test01");
        AssertInOrder(timeline,
            "capture  pending    PXE DHCP seen, arch BIOS",
            "pxelinux.0 transferred",
            "boot config pxelinux.cfg/01-52-54-00-12-34-56 served to 192.0.2.1",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched by 192.0.2.1",
            "installer started (early_command)");
        Assert.Contains("\"state\": \"installing\"", timeline, StringComparison.Ordinal);

        // The installer's own log, streamed to the appliance: netcfg, re-run by early_command, took
        // the inventory's static address and hostname; main-menu's steps reached the timeline.
        string log = string.Empty;
        await NamespaceLab.WaitForAsync(async () =>
        {
            log = await NamespaceLab.CliAsync(dir, "hosts", "log", "test01");
            return log.Contains("Writing static IPv4 stanza", StringComparison.Ordinal);
        }, TimeSpan.FromMinutes(1), "netcfg's static configuration in the installer log");
        Assert.Matches($@"Z netcfg\[\d+\]: ARPING 192\.0\.2\.1 from {StaticIp.Replace(".", "\\.", StringComparison.Ordinal)} ", log);
        Assert.Matches(@"Z netcfg\[\d+\]: DEBUG: test01 is a valid FQDN", log);
        Assert.Contains("syslog   installing installer step network-preseed", await NamespaceLab.CliAsync(dir, "hosts", "show", "test01"), StringComparison.Ordinal);

        // The unregistered VM: discovered, and answered with the default (local boot) config.
        Assert.Contains($"\"mac\":\"{UnknownMac}\"", (await Curl(appliance, token, "/api/discovered")).StandardOutput, StringComparison.Ordinal);
        await NamespaceLab.WaitForAsync(() => Task.FromResult(applianceLog().Contains("pxelinux.cfg/default: sent", StringComparison.Ordinal)), TimeSpan.FromMinutes(2), "pxelinux.cfg/default sent to the unknown machine");
        Assert.Contains("pxelinux.cfg/01-52-54-00-12-34-57: refused with ERROR 1", applianceLog(), StringComparison.Ordinal);
    }

    private static void AssertInOrder(string text, params string[] parts)
    {
        int at = 0;
        foreach (string part in parts)
        {
            int found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' not found after position {at} in:\n{text}");
            at = found + part.Length;
        }
    }

    private void StartVm(NetworkNamespace site, string dir, string tap, string mac, string serial) =>
        _lab.Start(site, dir, ["qemu-system-x86_64", "-accel", "tcg", "-m", "1024", "-display", "none", "-monitor", "none",
            "-serial", $"file:{Path.Join(dir, serial)}", "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"e1000,netdev=n0,mac={mac}", "-boot", "n"]);

    private static Task<ProcessResult> Curl(NetworkNamespace ns, string token, string path) =>
        ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sSf", "-H", $"Authorization: Bearer {token}", $"http://{ApplianceIp}:8080{path}"), TimeSpan.FromSeconds(10));

    /// <summary>Site: bridge br0 (192.0.2.1, dnsmasq) with taps for the VMs and a veth to the appliance, whose end is eth0 (192.0.2.2).</summary>
    private static async Task WireAsync(NetworkNamespace site, NetworkNamespace appliance)
    {
        string[][] steps =
        [
            [.. site.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            [.. appliance.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            ["-n", site.Name, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"],
            ["-n", site.Name, "addr", "add", "192.0.2.1/24", "dev", "br0"],
            ["-n", site.Name, "tuntap", "add", "dev", "tap0", "mode", "tap"],
            ["-n", site.Name, "tuntap", "add", "dev", "tap1", "mode", "tap"],
            ["-n", site.Name, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", appliance.Name],
            ["-n", site.Name, "link", "set", "tap0", "master", "br0"],
            ["-n", site.Name, "link", "set", "tap1", "master", "br0"],
            ["-n", site.Name, "link", "set", "veth0", "master", "br0"],
            ["-n", site.Name, "link", "set", "tap0", "up"],
            ["-n", site.Name, "link", "set", "tap1", "up"],
            ["-n", site.Name, "link", "set", "veth0", "up"],
            ["-n", site.Name, "link", "set", "br0", "up"],
            ["-n", appliance.Name, "addr", "add", $"{ApplianceIp}/24", "dev", "eth0"],
            ["-n", appliance.Name, "link", "set", "eth0", "up"],
            ["-n", appliance.Name, "link", "set", "lo", "up"],
        ];
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", step);
        }
    }
}
