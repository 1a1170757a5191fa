using System.Diagnostics;
using System.Text;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// The network namespaces a test creates and the processes it starts in them (appliance, dnsmasq,
/// QEMU). Disposing stops every process by its PID, then deletes the namespaces: also when the
/// test failed.
/// </summary>
internal sealed class NamespaceLab : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<NetworkNamespace> _namespaces = [];

    public async Task<NetworkNamespace> CreateNamespaceAsync()
    {
        NetworkNamespace ns = await NetworkNamespace.CreateAsync();
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>Starts <paramref name="command"/> inside <paramref name="ns"/> and keeps it running until disposal; its standard output so far.</summary>
    public Func<string> Start(NetworkNamespace ns, string cwd, params string[] command) => StartProcess(ns, cwd, command).Output;

    /// <summary>As <see cref="Start"/>, with the process itself (<c>ip netns exec</c> execs the command, so its PID is the command's).</summary>
    public (Process Process, Func<string> Output) StartProcess(NetworkNamespace ns, string cwd, params string[] command)
    {
        Process process = ProcessRunner.Start("ip", ns.Exec(command), cwd, null, out StringBuilder stdout, out StringBuilder stderr);
        _processes.Add(process);
        return (process, () =>
        {
            lock (stdout)
            {
                lock (stderr)
                {
                    return stdout.ToString() + stderr;
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Process process in _processes)
        {
            if (!process.HasExited)
            {
                await ProcessRunner.RunAsync("kill", ["-TERM", $"{process.Id}"], TimeSpan.FromSeconds(10));
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            process.Dispose();
        }
        foreach (NetworkNamespace ns in _namespaces)
        {
            await ns.DisposeAsync();
        }
    }

    /// <summary>
    /// Server: a bridge <c>br0</c> with 192.0.2.1/24 and the veth <c>veth0</c> on it (capture there);
    /// client: the other end, <c>eth0</c>, with <paramref name="clientMac"/>. No route out of either.
    /// </summary>
    public static async Task WireClientAsync(NetworkNamespace server, NetworkNamespace client, string clientMac)
    {
        string[][] steps =
        [
            [.. server.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            [.. client.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")],
            ["-n", server.Name, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"],
            ["-n", server.Name, "addr", "add", "192.0.2.1/24", "dev", "br0"],
            ["-n", server.Name, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", client.Name],
            ["-n", server.Name, "link", "set", "veth0", "master", "br0"],
            ["-n", server.Name, "link", "set", "veth0", "up"],
            ["-n", server.Name, "link", "set", "br0", "up"],
            ["-n", client.Name, "link", "set", "eth0", "address", clientMac],
            ["-n", client.Name, "link", "set", "eth0", "up"],
        ];
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", step);
        }
    }

    /// <summary>dnsmasq as the site's DHCP server on <c>br0</c> (leases from 192.0.2.100), no DNS.</summary>
    public async Task StartDhcpServerAsync(NetworkNamespace server, string cwd)
    {
        Start(server, cwd, ["dnsmasq", "--keep-in-foreground", "--port=0", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m", $"--dhcp-leasefile={Path.Join(cwd, "leases")}", $"--pid-file={Path.Join(cwd, "dnsmasq.pid")}"]);
        await Task.Delay(500);
    }

    /// <summary>
    /// The <c>ip</c> arguments of one DHCP exchange from the client's <c>eth0</c> by busybox udhcpc
    /// with <paramref name="vendorClass"/> (a PXE ROM's <c>PXEClient:Arch:…</c>); the lease is applied.
    /// </summary>
    public static async Task<string[]> PxeDhcpAsync(NetworkNamespace client, string cwd, string vendorClass)
    {
        string script = Path.Join(cwd, "udhcpc.script");
        // busybox udhcpc calls this with the lease in its environment; "bound" means apply it.
        await File.WriteAllTextAsync(script, "#!/bin/sh\n[ \"$1\" = bound ] && ip addr replace \"$ip/$mask\" dev \"$interface\"\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return client.Exec("busybox", "udhcpc", "-i", "eth0", "-n", "-q", "-t", "5", "-s", script, "-V", vendorClass);
    }

    /// <summary>Runs a <c>provisioner</c> command on the data dir under <paramref name="cwd"/> (created if it is the first), with the shipped templates; fails the test on a non-zero exit.</summary>
    public static async Task<string> CliAsync(string cwd, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--init", "--data-dir", "data", "--templates", InventoryAppliance.Templates], TimeSpan.FromMinutes(1), cwd);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.StandardOutput;
    }

    /// <summary>Waits until <c>GET {httpBase}/healthz</c>, from inside <paramref name="ns"/>, answers 200.</summary>
    public static Task WaitHealthyAsync(NetworkNamespace ns, string httpBase) =>
        WaitForAsync(async () => (await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sf", $"{httpBase}/healthz"), TimeSpan.FromSeconds(10))).ExitCode == 0,
            TimeSpan.FromSeconds(60), $"{httpBase}/healthz in {ns.Name}");

    /// <summary>Polls <paramref name="done"/> until it holds, failing the test after <paramref name="limit"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < limit, $"no {what} within {limit}");
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
    }
}
