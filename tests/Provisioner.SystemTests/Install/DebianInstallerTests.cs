using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Install;

/// <summary>
/// A real PXE client: QEMU's iPXE ROM boots the Debian 12 installer from the appliance inside a
/// network namespace this test creates (192.0.2.0/24, a bridge and a tap, no route out), with
/// dnsmasq handing out DHCP there. The shipped debian12 profile must take the installer from DHCP
/// to the host's static address.
/// </summary>
[Trait("Category", "System")]
public sealed class DebianInstallerTests : IAsyncLifetime
{
    private const string Mac = "52:54:00:12:34:56";
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
    public async Task Debian12_PxeBootedInQemu_FetchesPreseedCallsBackAndTakesItsStaticAddress()
    {
        string site = _files.Dir("site");
        Directory.CreateDirectory(Path.Join(site, "boot", "debian12"));
        File.Copy(Path.Join(Installer, "linux"), Path.Join(site, "boot", "debian12", "linux"));
        File.Copy(Path.Join(Installer, "initrd.gz"), Path.Join(site, "boot", "debian12", "initrd.gz"));
        // No router here: the installer's first (DHCP) network setup needs these on the kernel line (shared/notes/pxe-facts.md).
        await NamespaceLab.CliAsync(site, "hosts", "add", "--mac", Mac, "--hostname", "test01.example.org", "--ip", $"{StaticIp}/24",
            "--dns", "192.0.2.1", "--console", "ttyS0,115200n8", "--kernel-args", "netcfg/no_default_route=true netcfg/get_nameservers=192.0.2.1");
        await NamespaceLab.CliAsync(site, "hosts", "build", "test01");

        NetworkNamespace ns = await _lab.CreateNamespaceAsync();
        await BridgeWithTapAsync(ns);
        _lab.Start(ns, site, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot",
            "--templates", InventoryAppliance.Templates, "--tftp", "192.0.2.1:69", "--http", "http://192.0.2.1:8080"]);
        await NamespaceLab.WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sf", "http://192.0.2.1:8080/healthz"), TimeSpan.FromSeconds(10))).ExitCode == 0, TimeSpan.FromSeconds(60), "appliance healthy");
        _lab.Start(ns, site, ["dnsmasq", "--keep-in-foreground", "--port=0", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m", "--dhcp-boot=pxelinux.0,,192.0.2.1", "--dhcp-option=3",
            "--dhcp-option=6,192.0.2.1", $"--dhcp-leasefile={Path.Join(site, "leases")}", $"--pid-file={Path.Join(site, "dnsmasq.pid")}"]);
        _lab.Start(ns, site, ["qemu-system-x86_64", "-accel", "tcg", "-m", "1024", "-display", "none", "-monitor", "none",
            "-serial", $"file:{Path.Join(site, "serial.log")}", "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
            "-device", $"e1000,netdev=n0,mac={Mac}", "-boot", "n"]);

        // The installer runs early_command (callback, then netcfg again with the static settings) and
        // then speaks from the static address: the namespace learns it from the guest's ARP.
        await NamespaceLab.WaitForAsync(async () => (await NamespaceLab.CliAsync(site, "hosts", "show", "test01")).Contains("installer started (early_command)", StringComparison.Ordinal), Limit, "the early_command callback");
        await NamespaceLab.WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", ["-n", ns.Name, "neigh", "show", StaticIp], TimeSpan.FromSeconds(10))).StandardOutput.Contains(Mac, StringComparison.Ordinal), TimeSpan.FromMinutes(2), $"traffic from {StaticIp}");

        string timeline = await NamespaceLab.CliAsync(site, "hosts", "show", "test01");
        Assert.Contains("boot config pxelinux.cfg/01-52-54-00-12-34-56 served to 192.0.2.1", timeline, StringComparison.Ordinal);
        Assert.Contains("debian12/linux transferred", timeline, StringComparison.Ordinal);
        Assert.Contains("debian12/initrd.gz transferred", timeline, StringComparison.Ordinal);
        Assert.Contains("preseed fetched by 192.0.2.1", timeline, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"installing\"", timeline, StringComparison.Ordinal);
    }

    private static async Task BridgeWithTapAsync(NetworkNamespace ns)
    {
        string[][] steps =
        [
            ["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"],
            ["ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"],
            ["ip", "tuntap", "add", "dev", "tap0", "mode", "tap"],
            ["ip", "link", "set", "tap0", "master", "br0"],
            ["ip", "addr", "add", "192.0.2.1/24", "dev", "br0"],
            ["ip", "link", "set", "tap0", "up"],
            ["ip", "link", "set", "br0", "up"],
        ];
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", ns.Exec(step));
        }
    }
}
