using System.Net.Sockets;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary>
/// The CLI finds the inventory <c>serve</c> uses the way <c>serve</c> does (the site's settings file,
/// PROVISIONER_* variables, options), never makes an empty one by accident, and tells a file it cannot
/// read apart from an inventory it cannot open.
/// </summary>
[Trait("Category", "System")]
public sealed class DataDirDiscoveryTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task NoInventory_Refused_NothingCreated_InitCreatesIt()
    {
        string elsewhere = _files.Dir("somewhere-else");

        ProcessResult refused = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "list"], TimeSpan.FromMinutes(1), elsewhere);

        Assert.Equal(78, refused.ExitCode);
        Assert.StartsWith($"provisioner: no inventory at SQLite {Path.Join(elsewhere, "data", "provisioner.db")}.", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("--init", refused.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(elsewhere, "data")), "the refused command made a data dir");

        ProcessResult created = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["token", "create", "--name", "first", "--init"], TimeSpan.FromMinutes(1), elsewhere);
        Assert.True(created.ExitCode == 0, created.Output);
        Assert.True(File.Exists(Path.Join(elsewhere, "data", "provisioner.db")));
        Assert.Equal(0, (await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "list"], TimeSpan.FromMinutes(1), elsewhere)).ExitCode);
    }

    [Fact]
    public async Task SiteSettingsFile_NamesTheDataDir_CliAnywhereSeesWhatServeServes()
    {
        string data = _files.Dir("var-lib-provisioner");
        string settings = Path.Join(_files.Root, "appsettings.json");
        await File.WriteAllTextAsync(settings, $"{{ \"DataDir\": \"{data}\", \"Templates\": \"{InventoryAppliance.Templates}\" }}");
        var environment = new Dictionary<string, string> { ["PROVISIONER_SYSTEM_CONFIG"] = settings };
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        await using (ApplianceProcess serve = ApplianceProcess.Start(
            ["serve", "--http", http, "--tftp", $"127.0.0.1:{ApplianceProcess.FreePort(SocketType.Dgram)}", "--syslog", "off", "--boot-dir", _files.Dir("boot")],
            _files.Dir("serve-cwd"), environment))
        {
            await serve.WaitHealthyAsync(http);
            // serve made its inventory where the settings file says, not in its working directory.
            Assert.True(File.Exists(Path.Join(data, "provisioner.db")));
            Assert.False(Directory.Exists(Path.Join(_files.Root, "serve-cwd", "data")));
            // No --data-dir and no --init: the CLI finds that inventory from anywhere.
            string anywhere = _files.Dir("home");
            ProcessResult added = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath,
                ["hosts", "add", "--mac", "52:54:00:00:00:01", "--hostname", "web01", "--ip", "192.0.2.11/24"], TimeSpan.FromMinutes(1), anywhere, environment);
            Assert.True(added.ExitCode == 0, added.Output);
            Assert.False(Directory.Exists(Path.Join(anywhere, "data")));
            ProcessResult listed = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "list"], TimeSpan.FromMinutes(1), _files.Dir("other"), environment);
            Assert.Contains("web01", listed.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingImportFile_IsNoInput66_NotTheDatabase()
    {
        string cwd = _files.Dir("site");
        Assert.Equal(0, (await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "list", "--init"], TimeSpan.FromMinutes(1), cwd)).ExitCode);

        ProcessResult missing = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "import", "no-such-ip2mac.txt"], TimeSpan.FromMinutes(1), cwd);

        Assert.Equal(66, missing.ExitCode);
        Assert.Equal($"provisioner: cannot read {Path.Join(cwd, "no-such-ip2mac.txt")}: no such file", missing.StandardError.Trim());
        ProcessResult badConfig = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "list", "--config", "no-such.json"], TimeSpan.FromMinutes(1), cwd);
        Assert.Equal(78, badConfig.ExitCode);
        Assert.Contains("no-such.json", badConfig.StandardError, StringComparison.Ordinal);
    }
}
