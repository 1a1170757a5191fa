using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>provisioner backup</c> and <c>restore</c> against a running appliance's SQLite inventory.</summary>
[Trait("Category", "System")]
public sealed class BackupCommandTests : IAsyncLifetime
{
    private readonly TestFiles _files = new();
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _files.Dispose();
    }

    private static Dictionary<string, object?> Fields(int n) => new()
    {
        ["mac"] = $"52:54:00:cc:{n / 256:x2}:{n % 256:x2}", ["hostname"] = $"bk{n:0000}", ["ip"] = $"192.0.2.{n % 250 + 2}/24",
        ["profile"] = "debian12", ["notes"] = $"rack 4, unit {n}",
    };

    private async Task<JsonElement> CreateAsync(int n)
    {
        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/hosts", Fields(n));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<ProcessResult> CliAsync(string dataDir, params string[] arguments) =>
        ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--data-dir", dataDir, "--templates", InventoryAppliance.Templates], TimeSpan.FromMinutes(1), _files.Root);

    private async Task<Dictionary<string, string>> ListAsync(string dataDir)
    {
        ProcessResult list = await CliAsync(dataDir, "hosts", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Output);
        return JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray().ToDictionary(h => h.GetProperty("mac").GetString()!, h => Compact(h.GetRawText()));
    }

    [Fact]
    public async Task Backup_WhileServingAndWriting_RestoresEveryHostItHeld()
    {
        var created = new Dictionary<string, string>();
        for (int n = 0; n < 40; n++)
        {
            JsonElement host = await CreateAsync(n);
            created[host.GetProperty("mac").GetString()!] = Compact(host.GetRawText());
        }
        (await _app.Api.PostAsync("/api/hosts/1/build", null)).EnsureSuccessStatusCode();
        // Writes go on during the backup: the copy is a snapshot of one moment, whole.
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(async () =>
        {
            for (int n = 40; n < 200 && !stop.IsCancellationRequested; n++)
            {
                await CreateAsync(n);
            }
        });
        string file = Path.Join(_files.Root, "inventory.backup");
        ProcessResult backup = await CliAsync(_app.DataDir, "backup", file);
        await stop.CancelAsync();
        await writer;

        Assert.True(backup.ExitCode == 0, backup.Output);
        int hosts = int.Parse(backup.StandardOutput.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(hosts, 40, 200);
        Assert.False(File.Exists(file + ".partial"));

        string restoredDir = Path.Join(_files.Root, "restored");
        ProcessResult restore = await CliAsync(restoredDir, "restore", file);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains($"restored {hosts} hosts", restore.StandardOutput, StringComparison.Ordinal);
        Dictionary<string, string> restored = await ListAsync(restoredDir);
        Assert.Equal(hosts, restored.Count);
        foreach ((string mac, string json) in created)
        {
            // The first 40 were there before the backup began; host 1 is building now, the rest as created.
            Assert.True(restored.ContainsKey(mac), $"{mac} is missing from the restored inventory");
            if (!json.StartsWith("{\"id\":1,", StringComparison.Ordinal))
            {
                Assert.Equal(json, restored[mac]);
            }
        }
        ProcessResult events = await CliAsync(restoredDir, "hosts", "show", "1");
        Assert.Contains("build requested", events.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WhileTheApplianceRuns_IsRefusedAndChangesNothing()
    {
        await CreateAsync(1);
        string file = Path.Join(_files.Root, "one.backup");
        Assert.Equal(0, (await CliAsync(_app.DataDir, "backup", file)).ExitCode);
        await CreateAsync(2);

        ProcessResult restore = await CliAsync(_app.DataDir, "restore", file);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("the appliance is running on", restore.StandardError, StringComparison.Ordinal);
        Assert.Contains("stop it first", restore.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, (await _app.Api.GetFromJsonAsync<JsonElement>("/api/hosts")).GetArrayLength());
    }

    [Fact]
    public async Task Restore_OverAStoppedInventory_KeepsTheReplacedOne_AndRefusesAFileThatIsNoBackup()
    {
        await CreateAsync(1);
        string file = Path.Join(_files.Root, "one.backup");
        Assert.Equal(0, (await CliAsync(_app.DataDir, "backup", file)).ExitCode);
        await CreateAsync(2);
        await _app.StopAsync();

        string junk = _files.Create("junk.backup", 10_000);
        ProcessResult refused = await CliAsync(_app.DataDir, "restore", junk);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is not a SQLite database", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, (await ListAsync(_app.DataDir)).Count);

        ProcessResult restore = await CliAsync(_app.DataDir, "restore", file);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Single((await ListAsync(_app.DataDir)).Keys, "52:54:00:cc:00:01");
        string kept = Directory.GetFiles(_app.DataDir, "provisioner.db.before-restore-*").Single();
        Assert.Contains("the replaced database is kept as " + kept, restore.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await ListAsync(Keep(kept))).Count);

        await _app.RestartAsync();
        Assert.Single((await _app.Api.GetFromJsonAsync<JsonElement>("/api/hosts")).EnumerateArray());
    }

    [Fact]
    public async Task Serve_SecondApplianceOnTheSameDataDir_OneClearLineAndExit()
    {
        int tftp = ApplianceProcess.FreePort(System.Net.Sockets.SocketType.Dgram);
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(System.Net.Sockets.SocketType.Stream)}";
        await using ApplianceProcess second = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", http, "--data-dir", _app.DataDir, "--templates", InventoryAppliance.Templates], _files.Root);

        Assert.Equal(78, await second.WaitForExitAsync());
        Assert.True(second.StandardError.Contains($"cannot serve: the appliance is running on {_app.DataDir} (pid ", StringComparison.Ordinal), second.StandardError);
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Backup_PostgresInventory_SaysToUsePgDump()
    {
        await using TestDatabase postgres = TestDatabase.Postgres();
        ProcessResult backup = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath,
            // --init: the test's database is new, where an operator's would hold the appliance's inventory.
            ["backup", Path.Join(_files.Root, "pg.backup"), "--init", "--templates", InventoryAppliance.Templates, .. postgres.Arguments(Path.Join(_files.Root, "pgdata"))], TimeSpan.FromMinutes(1), _files.Root);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("pg_dump --format=custom", backup.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(_files.Root, "pg.backup")));
    }

    private static string Compact(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    /// <summary>A data dir holding only <paramref name="database"/>, to list what a kept copy holds.</summary>
    private string Keep(string database)
    {
        string dir = Path.Join(_files.Root, "kept");
        Directory.CreateDirectory(dir);
        File.Copy(database, Path.Join(dir, "provisioner.db"));
        return dir;
    }
}
