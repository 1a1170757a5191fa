using System.Diagnostics;
using System.Text.Json;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A provisioning network for the DHCP server tests, in namespaces the test creates: the appliance's
/// namespace with the bridge <c>br0</c> (192.0.2.1/24), and one namespace per client machine, each
/// with its <c>eth0</c> (a veth whose other end is on the bridge). No DHCP server but the appliance,
/// no route out.
/// </summary>
internal sealed class DhcpSite
{
    public const string ServerAddress = "192.0.2.1";
    public const string Http = "http://192.0.2.1:8080";

    private readonly NamespaceLab _lab;
    private int _clients;

    private DhcpSite(NamespaceLab lab, NetworkNamespace server, string dir)
    {
        _lab = lab;
        Server = server;
        Dir = dir;
    }

    public NetworkNamespace Server { get; }

    /// <summary>The appliance's working directory (its data dir is <c>data</c> under it).</summary>
    public string Dir { get; }

    /// <summary>The running appliance, when started.</summary>
    public Process? Appliance { get; private set; }

    public Func<string> Log { get; private set; } = () => string.Empty;

    /// <summary>The default subnet: 192.0.2.0/24, pool .100–.109, router .1, DNS .1, domain lab.example, 2-minute leases; <paramref name="dhcp"/> replaces the <c>Dhcp</c> section.</summary>
    public static async Task<DhcpSite> CreateAsync(NamespaceLab lab, string dir, object? dhcp = null, int prefixLength = 24)
    {
        NetworkNamespace server = await lab.CreateNamespaceAsync();
        string[][] steps =
        [
            [.. server.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            ["-n", server.Name, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"],
            ["-n", server.Name, "addr", "add", $"{ServerAddress}/{prefixLength}", "dev", "br0"],
            ["-n", server.Name, "link", "set", "br0", "up"],
        ];
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", step);
        }
        dhcp ??= DefaultDhcp();
        await File.WriteAllTextAsync(Path.Join(dir, "appsettings.json"), JsonSerializer.Serialize(new { Dhcp = dhcp }));
        return new DhcpSite(lab, server, dir);
    }

    public static object DefaultDhcp(string probeTimeout = "00:00:00.5", string otherServerListen = "00:00:01", string offerHold = "00:01:00") => new
    {
        ProbeTimeout = probeTimeout,
        OfferHold = offerHold,
        OtherServerListen = otherServerListen,
        Subnets = new[]
        {
            new { Subnet = "192.0.2.0/24", Ranges = new[] { "192.0.2.100-192.0.2.109" }, Router = ServerAddress, Dns = new[] { ServerAddress }, Domain = "lab.example", LeaseTime = "00:02:00" },
        },
    };

    /// <summary>A client machine: a namespace whose <c>eth0</c> (MAC <paramref name="mac"/>) is on the bridge.</summary>
    public async Task<NetworkNamespace> AddClientAsync(string mac)
    {
        NetworkNamespace client = await _lab.CreateNamespaceAsync();
        string port = $"veth{_clients++}";
        string[][] steps =
        [
            [.. client.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            ["-n", Server.Name, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", client.Name],
            ["-n", Server.Name, "link", "set", port, "master", "br0"],
            ["-n", Server.Name, "link", "set", port, "up"],
            ["-n", client.Name, "link", "set", "eth0", "address", mac],
            ["-n", client.Name, "link", "set", "eth0", "up"],
        ];
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", step);
        }
        return client;
    }

    /// <summary>Starts <c>serve --dhcp</c> on <c>br0</c> and waits until it is healthy.</summary>
    public async Task StartAsync(params string[] extra)
    {
        (Appliance, Log) = _lab.StartProcess(Server, Dir, ServeCommand(extra));
        await NamespaceLab.WaitHealthyAsync(Server, Http);
    }

    public static string[] ServeCommand(params string[] extra) =>
        [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", $"{ServerAddress}:69", "--http", Http, "--syslog", "off", "--interface", "br0", "--dhcp", .. extra];

    /// <summary>Stops the appliance with SIGTERM and waits for it to end.</summary>
    public async Task StopAsync()
    {
        Assert.NotNull(Appliance);
        await ProcessRunner.RunCheckedAsync("kill", "-TERM", $"{Appliance.Id}");
        Assert.True(Appliance.WaitForExit(TimeSpan.FromSeconds(30)), "the appliance did not stop within 30 s");
    }

    /// <summary>The leases as <c>GET /api/dhcp/leases</c> gives them.</summary>
    public async Task<JsonElement> LeasesAsync(string token)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", Server.Exec("curl", "-sSf", "-H", $"Authorization: Bearer {token}", $"{Http}/api/dhcp/leases"), TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, result.Output);
        using JsonDocument parsed = JsonDocument.Parse(result.StandardOutput);
        return parsed.RootElement.Clone();
    }

    /// <summary>The lease of <paramref name="address"/> in <paramref name="leases"/>: its mac and state.</summary>
    public static (string Mac, string State) Lease(JsonElement leases, string address)
    {
        JsonElement lease = leases.EnumerateArray().Single(l => l.GetProperty("address").GetString() == address);
        return (lease.GetProperty("mac").GetString()!, lease.GetProperty("state").GetString()!);
    }

    /// <summary>The client's IPv4 addresses on <c>eth0</c>.</summary>
    public static async Task<string> AddressesAsync(NetworkNamespace client) =>
        (await ProcessRunner.RunCheckedAsync("ip", "-n", client.Name, "-4", "-o", "addr", "show", "dev", "eth0")).StandardOutput;
}
