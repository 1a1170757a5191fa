using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Tests.Inventory.Data;

/// <summary>
/// A damaged, empty or foreign SQLite file is refused at start with one line (it used to start, say
/// "ok", and answer 500; an empty one became a new inventory with a new admin), and a database that
/// goes bad while serving shows in the health check.
/// </summary>
public sealed class InventoryCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-check-").FullName;

    private string Db => Path.Join(_dir, InventoryDatabase.SqliteFileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<InvalidDataException> RefusedAsync() =>
        await Assert.ThrowsAsync<InvalidDataException>(() => InventoryDatabase.Sqlite(Db).MigrateAsync(default));

    [Fact]
    public async Task EmptyFile_Refused_NotANewInventory()
    {
        await File.WriteAllBytesAsync(Db, []);

        Assert.Contains("is empty (0 bytes), not an inventory", (await RefusedAsync()).Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(Db).Length);
    }

    [Fact]
    public async Task NotSqlite_Refused()
    {
        await File.WriteAllTextAsync(Db, "hosts: [web01, web02]\n");

        Assert.Contains("is not a SQLite database", (await RefusedAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherProgramsSqlite_Refused_AndLeftAlone()
    {
        Execute(Db, "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);");

        Assert.Contains("another program's SQLite database (1 tables, none of ours)", (await RefusedAsync()).Message, StringComparison.Ordinal);
        Assert.Equal("photos", Scalar("SELECT group_concat(name) FROM sqlite_master WHERE type = 'table';"));
    }

    [Fact]
    public async Task DamagedMidFile_RefusedAtStart()
    {
        await FilledInventoryAsync();
        Damage(Db);

        Assert.Contains("is damaged", (await RefusedAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExistingGoodInventory_OpensAgain()
    {
        await FilledInventoryAsync();

        await InventoryDatabase.Sqlite(Db).MigrateAsync(default);
    }

    [Fact]
    public async Task DamagedWhileServing_HealthSaysWhat()
    {
        await using Support.TestInventory inventory = await Support.TestInventory.CreateAsync();
        for (int n = 1; n <= 200; n++)
        {
            await inventory.Hosts.CreateAsync(Support.TestInventory.Sample(n), default);
        }
        var time = new FakeTimeProvider();
        using var health = new InventoryHealth(inventory.Database, time);
        Assert.Null(await health.ProblemAsync(default));

        string db = Path.Join(inventory.Dir, InventoryDatabase.SqliteFileName);
        Execute(db, "PRAGMA wal_checkpoint(TRUNCATE);");
        Damage(db);
        Assert.Null(await health.ProblemAsync(default)); // the last answer, until Reuse has passed
        time.Advance(InventoryHealth.Reuse);

        Assert.Contains("fails queries", await health.ProblemAsync(default), StringComparison.Ordinal);
    }

    /// <summary>A migrated inventory with enough rows in one of its tables to span many pages, checkpointed into the main file.</summary>
    private async Task FilledInventoryAsync()
    {
        await InventoryDatabase.Sqlite(Db).MigrateAsync(default);
        await FillHostsAsync();
    }

    private Task FillHostsAsync()
    {
        Execute(Db, "CREATE TABLE IF NOT EXISTS filler (x BLOB);");
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using SqliteTransaction tx = connection.BeginTransaction();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "INSERT INTO filler (x) VALUES (randomblob(300));";
            for (int i = 0; i < 3000; i++)
            {
                command.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Execute(Db, "PRAGMA wal_checkpoint(TRUNCATE);");
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    /// <summary>Garbage over the header of every page after the first two (b-tree page type, cell count), as a failing disk leaves it.</summary>
    private static void Damage(string db)
    {
        SqliteConnection.ClearAllPools();
        var random = new Random(3);
        using FileStream file = File.OpenWrite(db);
        for (long offset = 2 * 4096; offset < file.Length; offset += 4096)
        {
            byte[] junk = new byte[16];
            random.NextBytes(junk);
            file.Position = offset;
            file.Write(junk);
        }
    }

    private static void Execute(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }
}
