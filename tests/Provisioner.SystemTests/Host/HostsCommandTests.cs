using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>provisioner hosts ...</c> and <c>token create</c> as an operator types them, on a SQLite data dir.</summary>
[Trait("Category", "System")]
public sealed class HostsCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--data-dir", Path.Join(_files.Root, "data"), "--templates", InventoryAppliance.Templates], TimeSpan.FromMinutes(1), _files.Root);

    [Fact]
    public async Task AddListShowBuildRemove_WorkOnTheDataDir()
    {
        ProcessResult added = await RunAsync("hosts", "add", "--mac", "AA-BB-CC-DD-EE-01", "--hostname", "web01.example.org", "--ip", "192.0.2.10/24", "--gateway", "192.0.2.1", "--dns", "192.0.2.53",
            "--time-zone", "Europe/Berlin", "--packages", "htop curl", "--wipe-disks", "false", "--disk", "/dev/sdb", "--proxy", "none");
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Contains("added host 1: web01 aa:bb:cc:dd:ee:01 192.0.2.10/24", added.StandardOutput, StringComparison.Ordinal);

        ProcessResult built = await RunAsync("hosts", "build", "aabb.ccdd.ee01");
        Assert.True(built.ExitCode == 0, built.Output);
        ProcessResult list = await RunAsync("hosts", "list", "--state", "pending");
        Assert.Contains("web01", list.StandardOutput, StringComparison.Ordinal);
        ProcessResult show = await RunAsync("hosts", "show", "web01");
        Assert.Contains("\"domain\": \"example.org\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"timeZone\": \"Europe/Berlin\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"packages\": \"htop curl\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"wipeDisks\": false", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"proxy\": \"none\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"mirror\": null", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("build requested (debian12)", show.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("hosts", "remove", "1")).ExitCode);
        ProcessResult missing = await RunAsync("hosts", "show", "web01");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("no host with id, MAC or hostname 'web01'", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_AddListShowRemove_HostsJoinByAddAndImport_GroupWithHostsNotRemoved()
    {
        ProcessResult added = await RunAsync("groups", "add", "rack-a", "--gateway", "192.0.2.1", "--dns", "192.0.2.53", "--domain", "rack-a.example.org", "--time-zone", "Europe/Berlin");
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Contains("added group 1: rack-a", added.StandardOutput, StringComparison.Ordinal);
        ProcessResult host = await RunAsync("hosts", "add", "--mac", "52:54:00:00:00:01", "--hostname", "web01", "--ip", "192.0.2.11/24", "--group", "rack-a");
        Assert.True(host.ExitCode == 0, host.Output);
        string csv = Path.Join(_files.Root, "rack.csv");
        await File.WriteAllTextAsync(csv, "mac,hostname,ip,group,gateway\n52:54:00:00:00:02,web02,192.0.2.12/24,rack-a,192.0.2.254\n");
        ProcessResult imported = await RunAsync("hosts", "import", csv);
        Assert.True(imported.ExitCode == 0, imported.Output);

        ProcessResult show = await RunAsync("hosts", "show", "web02");
        Assert.Contains("\"group\": \"rack-a\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"gateway\": \"192.0.2.254\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"domain\": \"rack-a.example.org\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"timeZone\": \"Europe/Berlin\"", show.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\n1 +rack-a +2 ", (await RunAsync("groups", "list")).StandardOutput);
        Assert.Contains("\"hosts\": 2", (await RunAsync("groups", "show", "rack-a")).StandardOutput, StringComparison.Ordinal);

        ProcessResult refused = await RunAsync("groups", "remove", "rack-a");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("group rack-a has 2 host(s)", refused.StandardError, StringComparison.Ordinal);
        ProcessResult unknown = await RunAsync("hosts", "add", "--mac", "52:54:00:00:00:03", "--hostname", "web03", "--ip", "192.0.2.13/24", "--group", "rack-z");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("provisioner: group: no group named 'rack-z'", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_BadFields_ExitsOneNamingEachFieldAndSavesNothing()
    {
        ProcessResult result = await RunAsync("hosts", "add", "--mac", "aa:bb:cc", "--hostname", "bad_name", "--ip", "192.0.2.10", "--mirror", "mirror.example.org");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("provisioner: mac: 'aa:bb:cc' is not a MAC address", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("provisioner: hostname:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("provisioner: ip: '192.0.2.10' has no prefix length", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("provisioner: settings.mirror: 'mirror.example.org' is not a URL like http://mirror.example.org/debian", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("aa:bb:cc", (await RunAsync("hosts", "list")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Ip2MacWithBadLine_ImportsNothing_ThenFixedFileImportsAndExportsAsCsv()
    {
        string file = Path.Join(_files.Root, "ip2mac.txt");
        await File.WriteAllTextAsync(file, "ip|mac|hostname\n192.0.2.11|aa:bb:cc:dd:ee:01|web01\n192.0.2.12|aa:bb:cc:dd:ee:0g|web02\n");

        ProcessResult refused = await RunAsync("hosts", "import", file, "--prefix", "24", "--gateway", "192.0.2.1");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("provisioner: line 3: mac:", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("web01", (await RunAsync("hosts", "list")).StandardOutput, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "192.0.2.11|aa:bb:cc:dd:ee:01|web01\n192.0.2.12|aa:bb:cc:dd:ee:02|web02\n");
        ProcessResult imported = await RunAsync("hosts", "import", file, "--prefix", "24", "--gateway", "192.0.2.1");
        Assert.True(imported.ExitCode == 0, imported.Output);

        string csv = Path.Join(_files.Root, "hosts.csv");
        Assert.Equal(0, (await RunAsync("hosts", "export", csv)).ExitCode);
        string[] lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal("id,mac,hostname,domain,ip,gateway,dns,profile,console,kernelArgs,notes,appliance,sshKeys,group,settings.mirror,settings.proxy,settings.timeZone,settings.locale,settings.keyboard,settings.disk,settings.packages,settings.wipeDisks,state", lines[0]);
        Assert.Equal("2,aa:bb:cc:dd:ee:02,web02,,192.0.2.12/24,192.0.2.1,,debian12,,,,,,,,,,,,,,,idle", lines[2]);
    }

    [Fact]
    public async Task TokenCreate_PrintsATokenTheApiAccepts()
    {
        ProcessResult token = await RunAsync("token", "create", "--name", "ci");
        Assert.True(token.ExitCode == 0, token.Output);
        Assert.Matches("^prov_[0-9a-f]{48}$", token.StandardOutput.Trim());
    }

    [Fact]
    public async Task Database_Unreachable_ExitsWithOneLine()
    {
        ProcessResult result = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath,
            ["hosts", "list", "--database", "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2"], TimeSpan.FromMinutes(1), _files.Root);

        Assert.Equal(78, result.ExitCode);
        Assert.StartsWith("provisioner: inventory database (PostgreSQL 127.0.0.1:1/x) cannot be opened:", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd().Split('\n'));
    }
}
