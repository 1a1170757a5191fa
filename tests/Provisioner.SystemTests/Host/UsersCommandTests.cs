using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Users;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>provisioner users ...</c> on a SQLite data dir; the printed passwords are checked against the database.</summary>
[Trait("Category", "System")]
public sealed class UsersCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private string DataDir => Path.Join(_files.Root, "data");

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--init", "--data-dir", DataDir], TimeSpan.FromMinutes(1), _files.Root);

    [Fact]
    public async Task AddListPasswd_PrintPasswordsThatSignIn_BadInputExitsNonZero()
    {
        ProcessResult added = await RunAsync("users", "add", "Ops", "--role", "admin");
        Assert.True(added.ExitCode == 0, added.Output);
        string opsPassword = added.StandardOutput.Trim();
        ProcessResult reset = await RunAsync("users", "passwd", "ops");
        Assert.True(reset.ExitCode == 0, reset.Output);
        string newPassword = reset.StandardOutput.Trim();

        var users = new UserService(InventoryDatabase.Sqlite(Path.Join(DataDir, "provisioner.db")), Options.Create(new StorageOptions { DataDir = DataDir }), TimeProvider.System);
        Assert.Equal(UserRole.Admin, (await users.CheckPasswordAsync("ops", newPassword, default))!.Role);
        Assert.Null(await users.CheckPasswordAsync("ops", opsPassword, default));
        Assert.Matches(@"^ops\s+admin\s+password changed ", (await RunAsync("users", "list")).StandardOutput);

        ProcessResult missing = await RunAsync("users", "passwd", "nobody");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("no user 'nobody'", missing.StandardError, StringComparison.Ordinal);
        ProcessResult bad = await RunAsync("users", "add", "<script>");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("name:", bad.StandardError, StringComparison.Ordinal);
        ProcessResult twice = await RunAsync("users", "add", "ops");
        Assert.Equal(1, twice.ExitCode);
    }
}
