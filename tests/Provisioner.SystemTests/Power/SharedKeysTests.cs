using Npgsql;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Power;

/// <summary>
/// Appliances sharing one PostgreSQL inventory share the Data Protection keys through it: a BMC password
/// one stored (encrypted) is used by another with a data dir of its own, against a real <c>ipmi_sim</c>.
/// </summary>
[Trait("Category", "System")]
public sealed class SharedKeysTests : NamespaceTest
{
    private const string Password = "pg-Bmc-Secret-8";

    [Fact]
    public async Task BmcPasswordStoredByOneAppliance_IsDecryptedByAnother_KeysInTheDatabase_NotInTheDataDir()
    {
        await using TestDatabase database = TestDatabase.Postgres();
        string first = Files.Dir("first");
        string second = Files.Dir("second");
        string secret = await IpmiPowerTests.SecretFileAsync(first, "bmc", Password);
        await NamespaceLab.CliAsync(first, "hosts", "add", "--mac", "52:54:00:22:03:01", "--hostname", "pg-a", "--ip", "192.0.2.61/24", "--database", database.ConnectionString!);
        await NamespaceLab.CliAsync(first, "hosts", "bmc", "pg-a", "--type", "ipmi", "--address", "127.0.0.1:6231", "--user", IpmiSimulator.User, "--password-file", secret,
            "--database", database.ConnectionString!);
        Assert.False(Directory.Exists(Path.Join(first, "data", "keys")) && Directory.EnumerateFiles(Path.Join(first, "data", "keys")).Any(), "keys were written to the first data dir");

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var keys = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys", connection);
            Assert.True((long)(await keys.ExecuteScalarAsync())! >= 1);
            await using var stored = new NpgsqlCommand("SELECT \"PasswordProtected\" FROM host_bmcs", connection);
            string protectedPassword = (string)(await stored.ExecuteScalarAsync())!;
            Assert.DoesNotContain(Password, protectedPassword, StringComparison.Ordinal);
        }

        // The second appliance: its own (empty) data dir, inside a namespace with the BMC; the database through its socket.
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        await IpmiSimulator.StartAsync(Lab, ns, Files.Dir("bmc"), "127.0.0.1", 6231, Password, vm: null);
        ProcessResult status = await ProcessRunner.RunAsync("ip", ns.Exec([ApplianceProcess.BinaryPath, "hosts", "power", "pg-a", "status",
            "--database", database.SocketConnectionString, "--data-dir", "data", "--templates", InventoryAppliance.Templates, "--init"]), TimeSpan.FromMinutes(1), second);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("host pg-a: off", status.StandardOutput, StringComparison.Ordinal);
    }
}
