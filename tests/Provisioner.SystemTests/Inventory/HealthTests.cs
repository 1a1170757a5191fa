using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>
/// <c>/healthz</c> asks the inventory too (issue 17, item 8: a damaged database once left it saying "ok"
/// while the host list answered 500): with the hosts table gone from under the running appliance it
/// answers 503 <c>database</c> with the reason, and 200 again once the table is back. SQLite (changed
/// with Debian's sqlite3) and PostgreSQL.
/// </summary>
[Trait("Category", "System")]
public sealed class HealthTests
{
    [Fact]
    public async Task Sqlite_InventoryFailingQueries_Is503Database_ThenOkAgain()
    {
        await using InventoryAppliance app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());
        string db = Path.Join(app.DataDir, "provisioner.db");

        await AssertRoundTripAsync(app, sql => ProcessRunner.RunCheckedAsync("sqlite3", "-cmd", ".timeout 10000", db, sql));
    }

    [Fact]
    public async Task Postgres_InventoryFailingQueries_Is503Database_ThenOkAgain()
    {
        TestDatabase database = TestDatabase.Postgres();
        string connection = database.ConnectionString!;
        await using InventoryAppliance app = await InventoryAppliance.StartAsync(database);

        await AssertRoundTripAsync(app, async sql =>
        {
            await using var pg = new NpgsqlConnection(connection);
            await pg.OpenAsync();
            await using var command = new NpgsqlCommand(sql, pg);
            await command.ExecuteNonQueryAsync();
        });
    }

    private static async Task AssertRoundTripAsync(InventoryAppliance app, Func<string, Task> execute)
    {
        Assert.Equal("ok", (await HealthAsync(app, HttpStatusCode.OK)).GetProperty("status").GetString());

        await execute("ALTER TABLE hosts RENAME TO hosts_away;");
        JsonElement failing = await HealthAsync(app, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("database", failing.GetProperty("status").GetString());
        Assert.Contains("fails queries", failing.GetProperty("database").GetString(), StringComparison.Ordinal);
        Assert.Contains("hosts", failing.GetProperty("database").GetString(), StringComparison.Ordinal);

        await execute("ALTER TABLE hosts_away RENAME TO hosts;");
        Assert.Equal("ok", (await HealthAsync(app, HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    /// <summary>
    /// The report once /healthz answers <paramref name="wanted"/>: the inventory is asked at most every
    /// 10 s, so a change shows within that; bounded at 60 s.
    /// </summary>
    private static async Task<JsonElement> HealthAsync(InventoryAppliance app, HttpStatusCode wanted)
    {
        HttpResponseMessage response = await app.Anonymous.GetAsync("/healthz");
        for (int i = 0; i < 240 && response.StatusCode != wanted; i++)
        {
            response.Dispose();
            await Task.Delay(250);
            response = await app.Anonymous.GetAsync("/healthz");
        }
        using (response)
        {
            Assert.Equal(wanted, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }
}
