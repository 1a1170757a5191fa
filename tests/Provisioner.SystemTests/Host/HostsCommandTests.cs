using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>provisioner hosts ...</c> and <c>token create</c> as an operator types them, on a SQLite data dir.</summary>
[Trait("Category", "System")]
public sealed class HostsCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>On a data dir of the test's own, which the first command creates (<c>--init</c>; it changes nothing once one exists).</summary>
    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--init", "--data-dir", Path.Join(_files.Root, "data"), "--templates", InventoryAppliance.Templates], TimeSpan.FromMinutes(1), _files.Root);

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
    public async Task Edit_BuildMany_ShowJson_ImportUpdate()
    {
        for (int n = 1; n <= 3; n++)
        {
            ProcessResult added = await RunAsync("hosts", "add", "--mac", $"52:54:00:00:00:0{n}", "--hostname", $"web0{n}", "--ip", $"192.0.2.1{n}/24", "--gateway", "192.0.2.1", "--notes", "rack 4",
                "--profile", "ubuntu2004");
            Assert.True(added.ExitCode == 0, added.Output);
        }

        // edit: what is given changes, an empty value clears, the rest stays.
        ProcessResult edited = await RunAsync("hosts", "edit", "web02", "--ip", "192.0.2.22/24", "--gateway", "", "--time-zone", "Europe/Berlin");
        Assert.True(edited.ExitCode == 0, edited.Output);
        Assert.Contains("updated host 2: web02 52:54:00:00:00:02 192.0.2.22/24", edited.StandardOutput, StringComparison.Ordinal);
        JsonElement web02 = await ShowJsonAsync("web02");
        Assert.Equal(JsonValueKind.Null, web02.GetProperty("host").GetProperty("gateway").ValueKind);
        Assert.Equal("rack 4", web02.GetProperty("host").GetProperty("notes").GetString());
        Assert.Equal("Europe/Berlin", web02.GetProperty("host").GetProperty("settings").GetProperty("timeZone").GetString());
        ProcessResult nothing = await RunAsync("hosts", "edit", "web02");
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("nothing to change", nothing.StandardError, StringComparison.Ordinal);
        ProcessResult bad = await RunAsync("hosts", "edit", "web02", "--ip", "192.0.2.022/24");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("provisioner: ip:", bad.StandardError, StringComparison.Ordinal);

        // build of many: a typo builds none; then all three, one line each; show --json has the timeline.
        ProcessResult typo = await RunAsync("hosts", "build", "web01", "web09", "web03");
        Assert.Equal(3, typo.ExitCode);
        Assert.Contains("no host with id, MAC or hostname 'web09' (nothing was changed)", typo.StandardError, StringComparison.Ordinal);
        Assert.Equal("idle", (await ShowJsonAsync("web01")).GetProperty("host").GetProperty("state").GetString());
        ProcessResult built = await RunAsync("hosts", "build", "web01", "2", "52-54-00-00-00-03");
        Assert.True(built.ExitCode == 0, built.Output);
        Assert.Equal(3, built.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // The test's boot dir has no kernel, and no package provides ubuntu2004's (debian12's comes from the netboot package): each build says so, and stands.
        Assert.Contains("provisioner: warning: host web01: profile ubuntu2004 lacks ubuntu2004/linux", built.StandardError, StringComparison.Ordinal);
        JsonElement web03 = await ShowJsonAsync("web03");
        Assert.Equal("pending", web03.GetProperty("host").GetProperty("state").GetString());
        Assert.Contains("build requested", web03.GetProperty("events")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        ProcessResult cancelled = await RunAsync("hosts", "cancel", "web01", "web02");
        Assert.True(cancelled.ExitCode == 0, cancelled.Output);
        JsonElement[] listed = JsonDocument.Parse((await RunAsync("hosts", "list", "--json")).StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["idle", "idle", "pending"], listed.Select(h => h.GetProperty("state").GetString()));

        // import --update: the edited file's lines change the hosts they name by MAC; a new MAC is added.
        string file = Path.Join(_files.Root, "ip2mac.txt");
        await File.WriteAllTextAsync(file, "192.0.2.31|52:54:00:00:00:01|db01\n192.0.2.34|52:54:00:00:00:04|web04\n");
        ProcessResult refused = await RunAsync("hosts", "import", file, "--prefix", "24");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already belongs to host web01", refused.StandardError, StringComparison.Ordinal);
        ProcessResult updated = await RunAsync("hosts", "import", file, "--prefix", "24", "--update");
        Assert.True(updated.ExitCode == 0, updated.Output);
        Assert.Contains("1 host(s) added, 1 updated", updated.StandardOutput, StringComparison.Ordinal);
        JsonElement db01 = (await ShowJsonAsync("52:54:00:00:00:01")).GetProperty("host");
        Assert.Equal(("db01", "192.0.2.31/24", "rack 4"), (db01.GetProperty("hostname").GetString(), db01.GetProperty("ip").GetString(), db01.GetProperty("notes").GetString()));
    }

    private async Task<JsonElement> ShowJsonAsync(string host)
    {
        ProcessResult show = await RunAsync("hosts", "show", host, "--json");
        Assert.True(show.ExitCode == 0, show.Output);
        return JsonDocument.Parse(show.StandardOutput).RootElement;
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
