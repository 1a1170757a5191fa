using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// The appliance as the only DHCP server of a network the test creates, against real clients: ISC
/// dhclient and busybox udhcpc. They get addresses with the subnet's options, renew, release and
/// decline; a registered host always gets its own address; a pool address some machine already
/// answers on is never offered.
/// </summary>
[Trait("Category", "System")]
public sealed class DhcpClientTests : NamespaceTest
{
    private const string ClientMac = "02:00:00:00:23:01";

    [Fact]
    public async Task Dhclient_GetsAPoolAddressWithTheSubnetsOptions_GetsItAgain_AndReleasesIt()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace client = await site.AddClientAsync(ClientMac);
        string token = (await NamespaceLab.CliAsync(site.Dir, "token", "create")).Trim();
        await site.StartAsync();

        string leases = Path.Join(site.Dir, "dhclient.leases");
        ProcessResult first = await DhclientAsync(client, site.Dir, leases);
        Assert.Contains("DHCPOFFER of 192.0.2.100 from 192.0.2.1", first.Output, StringComparison.Ordinal);
        Assert.Contains("DHCPACK of 192.0.2.100 from 192.0.2.1", first.Output, StringComparison.Ordinal);
        Assert.Contains("inet 192.0.2.100/24", await DhcpSite.AddressesAsync(client), StringComparison.Ordinal);
        string lease = await File.ReadAllTextAsync(leases);
        Assert.Contains("option subnet-mask 255.255.255.0;", lease, StringComparison.Ordinal);
        Assert.Contains("option routers 192.0.2.1;", lease, StringComparison.Ordinal);
        Assert.Contains("option domain-name-servers 192.0.2.1;", lease, StringComparison.Ordinal);
        Assert.Contains("option domain-name \"lab.example\";", lease, StringComparison.Ordinal);
        Assert.Contains("option dhcp-lease-time 120;", lease, StringComparison.Ordinal);
        Assert.Contains("option dhcp-renewal-time 60;", lease, StringComparison.Ordinal);
        Assert.Equal(("02:00:00:00:23:01", "bound"), DhcpSite.Lease(await site.LeasesAsync(token), "192.0.2.100"));
        Assert.Contains("192.0.2.100     02:00:00:00:23:01 bound ", await NamespaceLab.CliAsync(site.Dir, "dhcp", "leases"), StringComparison.Ordinal);

        // Again with its lease file: INIT-REBOOT (a REQUEST for the address it had, no DISCOVER), acknowledged.
        ProcessResult again = await DhclientAsync(client, site.Dir, leases);
        Assert.Contains("DHCPREQUEST for 192.0.2.100", again.Output, StringComparison.Ordinal);
        Assert.Contains("DHCPACK of 192.0.2.100 from 192.0.2.1", again.Output, StringComparison.Ordinal);

        ProcessResult release = await ProcessRunner.RunAsync("ip", client.Exec("timeout", "20", "dhclient", "-r", "-v", "-sf", Script(site.Dir), "-lf", leases, "-pf", Path.Join(site.Dir, "dhclient.pid"), "eth0"), TimeSpan.FromSeconds(40));
        Assert.Contains("DHCPRELEASE of 192.0.2.100", release.Output, StringComparison.Ordinal);
        await NamespaceLab.WaitForAsync(async () => DhcpSite.Lease(await site.LeasesAsync(token), "192.0.2.100").State == "released", TimeSpan.FromSeconds(10), "the lease released");
        Assert.DoesNotContain("192.0.2.100", await DhcpSite.AddressesAsync(client), StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.100", await NamespaceLab.CliAsync(site.Dir, "dhcp", "leases"), StringComparison.Ordinal);
        Assert.Contains("192.0.2.100     02:00:00:00:23:01 released, ended ", await NamespaceLab.CliAsync(site.Dir, "dhcp", "leases", "--all"), StringComparison.Ordinal);
    }

    /// <summary>
    /// systemd-networkd (systemd 252's DHCP client, as an installed Debian runs it), started in the
    /// client's namespace with mounts of its own: it gets an address, renews it at T1 (half the
    /// 1-minute lease) and releases it when stopped.
    /// </summary>
    [Fact]
    public async Task SystemdNetworkd_GetsAnAddress_RenewsAtT1_AndReleasesWhenStopped()
    {
        object dhcp = new
        {
            OtherServerListen = "00:00:01",
            Subnets = new[] { new { Subnet = "192.0.2.0/24", Ranges = new[] { "192.0.2.100-192.0.2.109" }, Router = "192.0.2.1", LeaseTime = "00:01:00" } },
        };
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"), dhcp);
        NetworkNamespace client = await site.AddClientAsync(ClientMac);
        string token = (await NamespaceLab.CliAsync(site.Dir, "token", "create")).Trim();
        await site.StartAsync();

        string network = Directory.CreateDirectory(Path.Join(site.Dir, "networkd")).FullName;
        await File.WriteAllTextAsync(Path.Join(network, "10-eth0.network"), "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n");
        string start = Path.Join(site.Dir, "networkd.sh");
        // Inside a mount namespace of its own (unshare -m): its state dir, its .network file, and a
        // read-only /sys, from which networkd knows no udev will initialise the link (it waits for udev otherwise).
        await File.WriteAllTextAsync(start, $"#!/bin/sh\nset -e\nmount -t tmpfs tmpfs /run/systemd\nmount -o remount,ro /sys\n"
            + "mkdir -p /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp\nchown -R systemd-network:systemd-network /run/systemd/netif\n"
            + $"mount --bind {network} /etc/systemd/network\nexec /lib/systemd/systemd-networkd\n");
        File.SetUnixFileMode(start, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (System.Diagnostics.Process networkd, Func<string> output) = Lab.StartProcess(client, site.Dir, "unshare", "-m", "--propagation", "private", start);

        await NamespaceLab.WaitForAsync(async () => (await DhcpSite.AddressesAsync(client)).Contains("inet 192.0.2.100/24", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "networkd's address");
        Assert.Equal(("02:00:00:00:23:01", "bound"), DhcpSite.Lease(await site.LeasesAsync(token), "192.0.2.100"));
        // T1 is 30 s: the renewal moves the lease's end.
        DateTime first = ExpiresAt(await site.LeasesAsync(token), "192.0.2.100");
        await NamespaceLab.WaitForAsync(async () => ExpiresAt(await site.LeasesAsync(token), "192.0.2.100") > first, TimeSpan.FromSeconds(90), "networkd's renewal");
        Assert.Contains("eth0: DHCPv4 address 192.0.2.100/24", output(), StringComparison.Ordinal);

        await ProcessRunner.RunCheckedAsync("kill", "-TERM", $"{networkd.Id}");
        Assert.True(networkd.WaitForExit(TimeSpan.FromSeconds(30)), "networkd did not stop");
        await NamespaceLab.WaitForAsync(async () => DhcpSite.Lease(await site.LeasesAsync(token), "192.0.2.100").State == "released", TimeSpan.FromSeconds(10), "the lease released");
    }

    /// <summary>
    /// A machine configured by hand on 192.0.2.100 that ignores pings but answers ARP: the probe finds
    /// nothing, udhcpc's ARP check does and DECLINEs; the address is quarantined and the client gets
    /// the next one; then it renews (SIGUSR1: a unicast REQUEST from its address) and releases (SIGUSR2).
    /// </summary>
    [Fact]
    public async Task Udhcpc_DeclinesAnAddressInUse_GetsAnother_RenewsAndReleases()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace squatter = await site.AddClientAsync("02:00:00:00:23:99");
        await ProcessRunner.RunCheckedAsync("ip", squatter.Exec("sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=1"));
        await ProcessRunner.RunCheckedAsync("ip", "-n", squatter.Name, "addr", "add", "192.0.2.100/24", "dev", "eth0");
        NetworkNamespace client = await site.AddClientAsync(ClientMac);
        string token = (await NamespaceLab.CliAsync(site.Dir, "token", "create")).Trim();
        await site.StartAsync();

        string script = Path.Join(site.Dir, "udhcpc.script");
        await File.WriteAllTextAsync(script, "#!/bin/sh\ncase \"$1\" in bound|renew) ip addr replace \"$ip/$mask\" dev \"$interface\";; deconfig) ip addr flush dev \"$interface\";; esac\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (System.Diagnostics.Process udhcpc, Func<string> output) = Lab.StartProcess(client, site.Dir, "busybox", "udhcpc", "-f", "-i", "eth0", "-a", "-t", "10", "-T", "1", "-s", script, "-x", "hostname:udhcpc-box");
        await NamespaceLab.WaitForAsync(() => Task.FromResult(output().Contains("lease of 192.0.2.101 obtained", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "udhcpc's lease of 192.0.2.101");
        Assert.True(output().Contains("offered address is in use (got ARP reply), declining", StringComparison.Ordinal), output());
        Assert.Contains("DHCP decline of 192.0.2.100 by mac 02:00:00:00:23:01", site.Log(), StringComparison.Ordinal);
        JsonElement leases = await site.LeasesAsync(token);
        Assert.Equal(("02:00:00:00:23:01", "quarantined"), DhcpSite.Lease(leases, "192.0.2.100"));
        Assert.Equal(("02:00:00:00:23:01", "bound"), DhcpSite.Lease(leases, "192.0.2.101"));
        Assert.Equal("udhcpc-box", leases.EnumerateArray().Single(l => l.GetProperty("address").GetString() == "192.0.2.101").GetProperty("hostname").GetString());

        DateTime bound = ExpiresAt(leases, "192.0.2.101");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the renewed lease's end is later by at least this
        await ProcessRunner.RunCheckedAsync("kill", "-USR1", $"{udhcpc.Id}");
        await NamespaceLab.WaitForAsync(async () => ExpiresAt(await site.LeasesAsync(token), "192.0.2.101") > bound, TimeSpan.FromSeconds(30), "the renewal");
        await NamespaceLab.WaitForAsync(() => Task.FromResult(Count(output(), "lease of 192.0.2.101 obtained") >= 2), TimeSpan.FromSeconds(30), "udhcpc's renewed lease");
        Assert.Contains("sending renew to server 192.0.2.1", output(), StringComparison.Ordinal);

        await ProcessRunner.RunCheckedAsync("kill", "-USR2", $"{udhcpc.Id}");
        await NamespaceLab.WaitForAsync(async () => DhcpSite.Lease(await site.LeasesAsync(token), "192.0.2.101").State == "released", TimeSpan.FromSeconds(30), "the lease released");
        Assert.Contains("DHCP release of 192.0.2.101 by mac 02:00:00:00:23:01", site.Log(), StringComparison.Ordinal);
    }

    /// <summary>A machine on 192.0.2.100 that answers pings: the server's probe finds it, quarantines the address and offers the next.</summary>
    [Fact]
    public async Task PoolAddressAnsweringAPing_IsQuarantined_AndTheNextIsOffered()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace squatter = await site.AddClientAsync("02:00:00:00:23:98");
        await ProcessRunner.RunCheckedAsync("ip", "-n", squatter.Name, "addr", "add", "192.0.2.100/24", "dev", "eth0");
        NetworkNamespace client = await site.AddClientAsync(ClientMac);
        string token = (await NamespaceLab.CliAsync(site.Dir, "token", "create")).Trim();
        await site.StartAsync();

        ProcessResult result = await DhclientAsync(client, site.Dir, Path.Join(site.Dir, "dhclient.leases"));
        Assert.Contains("DHCPACK of 192.0.2.101 from 192.0.2.1", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OFFER of 192.0.2.100", result.Output, StringComparison.Ordinal);
        JsonElement quarantined = (await site.LeasesAsync(token)).EnumerateArray().Single(l => l.GetProperty("address").GetString() == "192.0.2.100");
        Assert.Equal("quarantined", quarantined.GetProperty("state").GetString());
        Assert.Contains("answered a ping", quarantined.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Registered hosts get their inventory address (a reservation by MAC) with their own gateway, DNS
    /// and name, whatever they ask for; a registered address inside the pool is never given to another.
    /// </summary>
    [Fact]
    public async Task RegisteredHost_AlwaysGetsItsOwnAddressAndSettings_AndThePoolSkipsReservedAddresses()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace host = await site.AddClientAsync(ClientMac);
        NetworkNamespace stranger = await site.AddClientAsync("02:00:00:00:23:02");
        await NamespaceLab.CliAsync(site.Dir, "hosts", "add", "--mac", ClientMac, "--hostname", "web-01", "--domain", "rack.example", "--ip", "192.0.2.50/24",
            "--gateway", "192.0.2.254", "--dns", "192.0.2.53");
        // Registered inside the pool, not booting now: the pool must still leave its address alone.
        await NamespaceLab.CliAsync(site.Dir, "hosts", "add", "--mac", "02:00:00:00:23:03", "--hostname", "db-01", "--ip", "192.0.2.100/24");
        await site.StartAsync();

        string leases = Path.Join(site.Dir, "dhclient.leases");
        ProcessResult first = await DhclientAsync(host, site.Dir, leases);
        Assert.Contains("DHCPACK of 192.0.2.50 from 192.0.2.1", first.Output, StringComparison.Ordinal);
        string lease = await File.ReadAllTextAsync(leases);
        Assert.Contains("option routers 192.0.2.254;", lease, StringComparison.Ordinal);
        Assert.Contains("option domain-name-servers 192.0.2.53;", lease, StringComparison.Ordinal);
        Assert.Contains("option host-name \"web-01\";", lease, StringComparison.Ordinal);
        Assert.Contains("option domain-name \"rack.example\";", lease, StringComparison.Ordinal);

        // Asking for a pool address: NAK (INIT-REBOOT for another address), then DISCOVER, and its own again.
        File.Delete(leases);
        string script = await UdhcpcScriptAsync(site.Dir);
        ProcessResult asking = await ProcessRunner.RunAsync("ip", host.Exec("busybox", "udhcpc", "-i", "eth0", "-n", "-q", "-t", "5", "-T", "1", "-s", script, "-r", "192.0.2.105"), TimeSpan.FromSeconds(60));
        Assert.Contains("lease of 192.0.2.50 obtained", asking.Output, StringComparison.Ordinal);

        ProcessResult other = await DhclientAsync(stranger, site.Dir, Path.Join(site.Dir, "stranger.leases"));
        Assert.Contains("DHCPACK of 192.0.2.101 from 192.0.2.1", other.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Another DHCP server on the network (a second appliance, already serving): start-up hears its
    /// OFFER and stops with one line naming it; with <c>--dhcp-force</c> it serves beside it, warning.
    /// </summary>
    [Fact]
    public async Task AnotherDhcpServerOnTheNetwork_StopsStartUp_UnlessForced()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        await site.StartAsync();
        NetworkNamespace second = await site.AddClientAsync("02:00:00:00:23:10");
        await ProcessRunner.RunCheckedAsync("ip", "-n", second.Name, "addr", "add", "192.0.2.2/24", "dev", "eth0");
        string dir = Files.Dir("second");
        File.Copy(Path.Join(site.Dir, "appsettings.json"), Path.Join(dir, "appsettings.json"));
        string[] serve = [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "192.0.2.2:69", "--http", "http://192.0.2.2:8080", "--syslog", "off", "--interface", "eth0", "--dhcp"];
        ProcessResult refused = await ProcessRunner.RunAsync("ip", second.Exec(serve), TimeSpan.FromSeconds(60), dir);
        Assert.Equal(78, refused.ExitCode); // EX_CONFIG, as for any setting start-up refuses
        Assert.Contains("provisioner: another DHCP server answers here: 192.0.2.1 on eth0 (it offered 192.0.2.100); stop it, or serve beside it with --dhcp-force", refused.StandardError, StringComparison.Ordinal);

        Func<string> log = Lab.Start(second, dir, [.. serve, "--dhcp-force"]);
        await NamespaceLab.WaitHealthyAsync(second, "http://192.0.2.2:8080");
        Assert.Contains("DHCP server serving beside another DHCP server (--dhcp-force): 192.0.2.1 on eth0", log(), StringComparison.Ordinal);
    }

    /// <summary>Impossible settings stop start-up with one line each.</summary>
    [Fact]
    public async Task ImpossibleSettings_StopStartUp_WithOneLineEach()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"), new
        {
            Subnets = new object[]
            {
                new { Subnet = "192.0.2.0/24", Ranges = new[] { "192.0.2.100-192.0.2.150", "192.0.2.140-192.0.2.160", "192.0.3.1-192.0.3.9" }, Router = "192.0.3.1" },
            },
        });
        ProcessResult refused = await ProcessRunner.RunAsync("ip", site.Server.Exec(DhcpSite.ServeCommand()), TimeSpan.FromSeconds(60), site.Dir);
        Assert.Equal(78, refused.ExitCode); // EX_CONFIG, as for any setting start-up refuses
        string[] lines = refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("provisioner: Dhcp:Subnets:0:Ranges:2: 192.0.3.1-192.0.3.9 is not inside 192.0.2.0/24 (host addresses 192.0.2.1-192.0.2.254)", lines);
        Assert.Contains("provisioner: Dhcp:Subnets:0:Router: 192.0.3.1 is not inside 192.0.2.0/24", lines);
        Assert.Contains("provisioner: Dhcp:Subnets: ranges 192.0.2.100-192.0.2.150 and 192.0.2.140-192.0.2.160 overlap: an address may be in one range only", lines);

        // The appliance's own address inside its pool.
        await File.WriteAllTextAsync(Path.Join(site.Dir, "appsettings.json"), JsonSerializer.Serialize(new { Dhcp = new { Subnets = new[] { new { Subnet = "192.0.2.0/24", Ranges = new[] { "192.0.2.1-192.0.2.20" } } } } }));
        refused = await ProcessRunner.RunAsync("ip", site.Server.Exec(DhcpSite.ServeCommand()), TimeSpan.FromSeconds(60), site.Dir);
        Assert.Equal(78, refused.ExitCode); // EX_CONFIG, as for any setting start-up refuses
        Assert.Equal("provisioner: 192.0.2.1, br0's own address, is inside the range 192.0.2.1-192.0.2.20 of 192.0.2.0/24: move the range", refused.StandardError.Trim());
    }

    /// <summary>A host registered on a pool address that another machine's lease holds: start-up stops with one line naming both.</summary>
    [Fact]
    public async Task ARegisteredAddressInThePool_HeldByAnotherMachinesLease_StopsStartUp()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace stranger = await site.AddClientAsync("02:00:00:00:23:40");
        await site.StartAsync();
        await DhclientAsync(stranger, site.Dir, Path.Join(site.Dir, "stranger.leases"));
        await site.StopAsync();
        await NamespaceLab.CliAsync(site.Dir, "hosts", "add", "--mac", "02:00:00:00:23:41", "--hostname", "db-02", "--ip", "192.0.2.100/24");

        ProcessResult refused = await ProcessRunner.RunAsync("ip", site.Server.Exec(DhcpSite.ServeCommand()), TimeSpan.FromSeconds(60), site.Dir);
        Assert.Equal(78, refused.ExitCode);
        Assert.StartsWith("provisioner: host db-02 (02:00:00:00:23:41) has address 192.0.2.100, inside the range of 192.0.2.0/24, and the lease of 02:00:00:00:23:40 holds it until ",
            refused.StandardError.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(": give the host another address or move the range", refused.StandardError.Trim(), StringComparison.Ordinal);
    }

    internal static async Task<ProcessResult> DhclientAsync(NetworkNamespace client, string dir, string leases)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", client.Exec("timeout", "30", "dhclient", "-1", "-v", "-sf", Script(dir), "-lf", leases, "-pf", Path.Join(dir, "dhclient.pid"), "eth0"), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        return result;
    }

    /// <summary>dhclient's script: applies the address in the client's namespace only (the stock script would rewrite the machine's /etc/resolv.conf).</summary>
    private static string Script(string dir)
    {
        string script = Path.Join(dir, "dhclient.script");
        if (!File.Exists(script))
        {
            File.WriteAllText(script, "#!/bin/sh\ncase \"$reason\" in\n  BOUND|RENEW|REBIND|REBOOT) ip addr replace \"$new_ip_address/24\" dev \"$interface\";;\n  RELEASE|EXPIRE|STOP) [ -n \"$old_ip_address\" ] && ip addr del \"$old_ip_address/24\" dev \"$interface\";;\nesac\nexit 0\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }

    private static async Task<string> UdhcpcScriptAsync(string dir)
    {
        string script = Path.Join(dir, "udhcpc-once.script");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n[ \"$1\" = bound ] && ip addr replace \"$ip/$mask\" dev \"$interface\"\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static int Count(string text, string what) => text.Split(what).Length - 1;

    private static DateTime ExpiresAt(JsonElement leases, string address) =>
        leases.EnumerateArray().Single(l => l.GetProperty("address").GetString() == address).GetProperty("expiresAt").GetDateTime();
}
