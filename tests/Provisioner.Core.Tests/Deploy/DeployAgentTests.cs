using System.Diagnostics;
using Provisioner.Core.Deploy;

namespace Provisioner.Core.Tests.Deploy;

/// <summary>
/// The deploy agent the appliance serves (<see cref="DeployFiles.Agent"/>, Python) on the parts that need
/// no disk, run by python3 against a local stand-in for the appliance (<c>Fixtures/agent_image_test.py</c>):
/// it writes the image the deploy environment booted from when size and sha256 are the plan's and keeps
/// it; otherwise it downloads, checks and removes the download; a wrong checksum, a short download or a
/// missing image, an appliance that does not answer are failures in words an operator can act on; a
/// cancelled build stops it at the step's report before it reads anything; an image without a kernel is refused. The whole path, disks and
/// firmware included, is the system tests' ImageDeployTests.
/// </summary>
public sealed class DeployAgentTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("provisioner-agent-");

    [Fact]
    public async Task ImageStep_BootedCopyOrCheckedDownload_FailuresInWords_CancelHonoured()
    {
        string agent = Path.Join(_dir.FullName, "deploy-agent.py");
        await File.WriteAllTextAsync(agent, DeployFiles.Agent);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.FullName };
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (string argument in new[] { Path.Join(AppContext.BaseDirectory, "Deploy", "Fixtures", "agent_image_test.py"), agent })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        string said = await stdout + stderr;

        Assert.True(process.ExitCode == 0, said);
        Assert.Contains("Ran 9 tests", said, StringComparison.Ordinal);
        Assert.Contains("\nOK", said, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
