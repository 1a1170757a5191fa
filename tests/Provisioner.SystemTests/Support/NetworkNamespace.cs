namespace Provisioner.SystemTests.Support;

/// <summary>
/// A network namespace this test creates and deletes again, even when the test fails. It has only
/// a loopback interface: nothing in it can reach the machine's real network.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        var ns = new NetworkNamespace($"prov-test-{Guid.NewGuid().ToString("N")[..8]}");
        await ProcessRunner.RunCheckedAsync("ip", "netns", "add", ns.Name);
        try
        {
            await ProcessRunner.RunCheckedAsync("ip", "-n", ns.Name, "link", "set", "lo", "up");
            // The kernel default, set explicitly: ports below 1024 need privilege in here.
            await ProcessRunner.RunCheckedAsync("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.ipv4.ip_unprivileged_port_start=1024");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
        return ns;
    }

    /// <summary>The command line that runs <paramref name="command"/> inside this namespace.</summary>
    public string[] Exec(params string[] command) => ["netns", "exec", Name, .. command];

    /// <summary>
    /// Stops what still runs in here by PID (what the test's processes started themselves: a VM a BMC
    /// simulator powered on, daemonized), then deletes the namespace.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ProcessResult pids = await ProcessRunner.RunAsync("ip", ["netns", "pids", Name], TimeSpan.FromSeconds(10));
        foreach (string pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await ProcessRunner.RunAsync("kill", ["-KILL", pid], TimeSpan.FromSeconds(10));
        }
        await ProcessRunner.RunAsync("ip", ["netns", "del", Name], TimeSpan.FromSeconds(30));
    }
}
