using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

public sealed class HostServiceTests
{
    [Fact]
    public async Task CreateAsync_DuplicateMacHostnameAndIp_IsAConflictNamingEachField()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        var ex = await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Mac = "AA-BB-CC-DD-EE-01" }, default));

        Assert.Equal(InventoryErrorKind.Conflict, ex.Kind);
        Assert.Equal(["mac", "hostname", "ip"], ex.Errors.Select(e => e.Field));
        Assert.Single(await inventory.Hosts.ListAsync(new HostQuery(), default));
    }

    [Fact]
    public async Task ImportAsync_OneBadLine_SavesNothingAndReportsEveryBadLine()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(9), default);
        string file = string.Join('\n',
            "ip|mac|hostname",
            "192.0.2.11|aa:bb:cc:dd:ee:01|web01",
            "192.0.2.12|not-a-mac|web02",
            "192.0.2.13|aa:bb:cc:dd:ee:03|web01",
            "192.0.2.14|aa:bb:cc:dd:ee:09|web04",
            "192.0.2.15|aa:bb:cc:dd:ee:05");

        ParsedImport parsed = HostImportParser.Parse(file, HostImportFormat.Ip2Mac, new HostFields { Gateway = "192.0.2.1" }, 24);
        var ex = await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.ImportAsync(parsed, default));

        Assert.Equal(["line 3: mac", "line 4: hostname", "line 5: mac", "line 6"], ex.Errors.Select(e => e.Field));
        Assert.Contains("also appears at line 2", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("already belongs to host web09", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Single(await inventory.Hosts.ListAsync(new HostQuery(), default));
    }

    [Fact]
    public async Task ImportAsync_GoodFile_AddsEveryHost()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        ParsedImport parsed = HostImportParser.Parse("192.0.2.11|aa:bb:cc:dd:ee:01|web01\n192.0.2.12|aabb.ccdd.ee02|web02\n", HostImportFormat.Ip2Mac, new HostFields(), 24);

        IReadOnlyList<HostRecord> added = await inventory.Hosts.ImportAsync(parsed, default);

        Assert.Equal(2, added.Count);
        Assert.Equal(["aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02"], (await inventory.Hosts.ListAsync(new HostQuery(), default)).Select(h => h.Mac));
    }

    [Fact]
    public async Task ImportAsync_Update_ChangesRegisteredHostsByMac_AddsNewOnes_KeepsWhatLinesLeaveOut()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord web01 = await inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Ip = "192.0.2.11/26", Notes = "rack 4", KernelArgs = "quiet" }, default);
        // An edited ip2mac.txt: web01 gets a new name and address (no prefix: it keeps its /26), web05 is new.
        ParsedImport parsed = HostImportParser.Parse("192.0.2.21|AA-BB-CC-DD-EE-01|db01\n192.0.2.25|aa:bb:cc:dd:ee:05|web05\n",
            HostImportFormat.Ip2Mac, new HostFields { Gateway = "192.0.2.1", Profile = "ubuntu2004" }, 24);

        ImportResult result = await inventory.Hosts.ImportAsync(parsed, update: true, default);

        HostRecord changed = Assert.Single(result.Updated);
        Assert.Equal((web01.Id, "db01", "192.0.2.21", 26), (changed.Id, changed.Hostname, changed.Ip, changed.PrefixLength));
        // What the line leaves out stays, and the import's defaults (for new hosts) do not touch it.
        Assert.Equal(("rack 4", "quiet", "debian12", web01.Revision + 1), (changed.Notes, changed.KernelArgs, changed.Profile, changed.Revision));
        HostRecord added = Assert.Single(result.Added);
        Assert.Equal(("web05", "192.0.2.25", 24, "ubuntu2004"), (added.Hostname, added.Ip, added.PrefixLength, added.Profile));
        Assert.Equal(["db01", "web05"], (await inventory.Hosts.ListAsync(new HostQuery(), default)).Select(h => h.Hostname));
        Assert.Equal("db01", (await inventory.Hosts.FindAsync(web01.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), default))!.Hostname);
    }

    [Fact]
    public async Task ImportAsync_Update_OneBadLine_ChangesNothing_WithoutUpdateExistingMacsStillRefused()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        // web01 renamed to web02's name: a clash; web03 is fine; nothing of it may land.
        ParsedImport clash = HostImportParser.Parse("192.0.2.11|aa:bb:cc:dd:ee:01|web02\n192.0.2.13|aa:bb:cc:dd:ee:03|web03\n", HostImportFormat.Ip2Mac, new HostFields(), 24);

        var ex = await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.ImportAsync(clash, update: true, default));

        Assert.Equal(["line 1: hostname"], ex.Errors.Select(e => e.Field));
        Assert.Contains("already belongs to host web02", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(["web01", "web02"], (await inventory.Hosts.ListAsync(new HostQuery(), default)).Select(h => h.Hostname));
        ParsedImport same = HostImportParser.Parse("192.0.2.11|aa:bb:cc:dd:ee:01|web01\n", HostImportFormat.Ip2Mac, new HostFields(), 24);
        var refused = await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.ImportAsync(same, update: false, default));
        Assert.Equal(InventoryErrorKind.Conflict, refused.Kind);
    }

    [Fact]
    public async Task ImportAsync_SeveralChunks_AddsEveryHostWithItsId()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();

        IReadOnlyList<HostRecord> added = await inventory.Hosts.ImportAsync(ManyHosts(2_500), default);

        Assert.Equal(2_500, added.Select(h => h.Id).Distinct().Count());
        Assert.Equal(2_500, (await inventory.Hosts.ListAsync(new HostQuery(), default)).Count);
        Assert.Equal("h2499", (await inventory.Hosts.FindAsync(added[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), default))?.Hostname);
    }

    [Fact]
    public async Task ImportAsync_DatabaseRefusesALaterChunk_SavesNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        // Past the checks, the database itself refuses one host of the third chunk.
        await using (Microsoft.Data.Sqlite.SqliteConnection connection = new($"Data Source={Path.Join(inventory.Dir, "provisioner.db")}"))
        {
            await connection.OpenAsync();
            await using Microsoft.Data.Sqlite.SqliteCommand trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse_h2400 BEFORE INSERT ON hosts WHEN NEW.hostname = 'h2400' BEGIN SELECT RAISE(ABORT, 'refused'); END";
            await trigger.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => inventory.Hosts.ImportAsync(ManyHosts(2_500), default));

        Assert.Empty(await inventory.Hosts.ListAsync(new HostQuery(), default));
    }

    /// <summary>An ip2mac.txt of <paramref name="count"/> hosts h0, h1, … in 198.18.0.0/15.</summary>
    private static ParsedImport ManyHosts(int count) => HostImportParser.Parse(
        string.Join('\n', Enumerable.Range(0, count).Select(i => $"198.18.{i / 250}.{i % 250 + 1}|02:00:00:00:{i >> 8:x2}:{i & 0xff:x2}|h{i}")),
        HostImportFormat.Ip2Mac, new HostFields(), 15);

    [Fact]
    public async Task UpdateAsync_Partial_ChangesOnlyGivenFields()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        HostRecord updated = await inventory.Hosts.UpdateAsync(host.Id, new HostFields { Notes = "moved to rack 2" }, partial: true, default);

        Assert.Equal("moved to rack 2", updated.Notes);
        Assert.Equal(host.Mac, updated.Mac);
        Assert.Equal(host.Console, updated.Console);
    }

    [Fact]
    public async Task UpdateAsync_InvalidChange_LeavesStoredHostAsItWas()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.UpdateAsync(host.Id, new HostFields { Gateway = "198.51.100.1", Notes = "x" }, partial: true, default));

        HostRecord? stored = await inventory.Hosts.FindAsync(host.Mac, default);
        Assert.Equal("192.0.2.1", stored!.Gateway);
        Assert.Null(stored.Notes);
    }

    [Theory]
    [InlineData("web01")]
    [InlineData("AABB.CCDD.EE01")]
    [InlineData("1")]
    public async Task FindAsync_ByHostnameMacOrId_FindsTheHost(string key)
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.Equal("web01", (await inventory.Hosts.FindAsync(key, default))?.Hostname);
    }

    [Fact]
    public async Task ListAsync_SearchAndState_Filter()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord two = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        await inventory.Tracker.RequestBuildAsync(two.Id, EventSources.Api, default);

        Assert.Equal(["web02"], (await inventory.Hosts.ListAsync(new HostQuery(State: BuildState.Pending), default)).Select(h => h.Hostname));
        Assert.Equal(["web01"], (await inventory.Hosts.ListAsync(new HostQuery("192.0.2.11"), default)).Select(h => h.Hostname));
        Assert.Equal(["web02"], (await inventory.Hosts.ListAsync(new HostQuery("AA-BB-CC-DD-EE-02"), default)).Select(h => h.Hostname));
    }
}
