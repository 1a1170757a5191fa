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

    /// <summary>Starts <paramref name="command"/> inside <paramref name="ns"/> and keeps it running until disposal.</summary>
    public void Start(NetworkNamespace ns, string cwd, params string[] command) =>
        _processes.Add(ProcessRunner.Start("ip", ns.Exec(command), cwd, null, out StringBuilder _, out StringBuilder _));

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

    /// <summary>Runs a <c>provisioner</c> command on the data dir under <paramref name="cwd"/>, with the shipped templates; fails the test on a non-zero exit.</summary>
    public static async Task<string> CliAsync(string cwd, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--data-dir", "data", "--templates", InventoryAppliance.Templates], TimeSpan.FromMinutes(1), cwd);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.StandardOutput;
    }

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
