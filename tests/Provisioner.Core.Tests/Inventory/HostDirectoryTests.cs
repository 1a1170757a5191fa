using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Inventory;

public sealed class HostDirectoryTests
{
    [Fact]
    public async Task FindByMac_AfterAWriteInThisProcess_SeesItAtOnce()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress mac));
        Assert.Null(await inventory.Lookup.FindByMacAsync(mac, default));

        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        Assert.Equal("web01", (await inventory.Lookup.FindByMacAsync(mac, default))?.Hostname);
    }

    [Fact]
    public async Task FindByToken_WriteByAnotherAppliance_SeenAfterRevalidateInterval()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string first = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        Assert.NotNull(await inventory.Lookup.FindByTokenAsync(first, default));

        // A second appliance on the same database (its own directory) starts a new build.
        await using var otherWriter = new TimelineWriter(inventory.Database, new HostDirectory(inventory.Database, inventory.Time), Microsoft.Extensions.Logging.Abstractions.NullLogger<TimelineWriter>.Instance);
        var other = new BuildTracker(inventory.Database, otherWriter, inventory.Time);
        string second = (await other.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;

        Assert.NotNull(await inventory.Lookup.FindByTokenAsync(first, default));
        inventory.Time.Advance(HostDirectory.RevalidateInterval);
        Assert.Null(await inventory.Lookup.FindByTokenAsync(first, default));
        Assert.Equal(host.Id, (await inventory.Lookup.FindByTokenAsync(second, default))?.Id);
    }

    [Fact]
    public async Task ChangeInThisProcess_HostAsSavedAnsweredFromMemory()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress mac));
        // Its first look-up runs the change check, whose first run starts from an empty directory.
        Assert.Equal(BuildState.Idle, (await inventory.Lookup.FindByMacAsync(mac, default))?.State);

        // A build step (what every first fetch of a building host is) saves the host...
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        await DeleteAllHostsBehindTheDirectorysBackAsync(inventory);

        // ...and the directory holds it as saved: no database read needed for its next request.
        HostRecord? byMac = await inventory.Lookup.FindByMacAsync(mac, default);
        Assert.Equal((BuildState.Pending, token), (byMac?.State, byMac?.BuildToken));
        Assert.Equal(host.Id, (await inventory.Lookup.FindByTokenAsync(token, default))?.Id);
    }

    private static async Task DeleteAllHostsBehindTheDirectorysBackAsync(TestInventory inventory)
    {
        await using Microsoft.Data.Sqlite.SqliteConnection connection = new($"Data Source={Path.Join(inventory.Dir, "provisioner.db")}");
        await connection.OpenAsync();
        await using Microsoft.Data.Sqlite.SqliteCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM hosts";
        Assert.True(await delete.ExecuteNonQueryAsync() > 0);
    }

    [Fact]
    public async Task PreloadAsync_SeveralPages_AnswersEveryHostFromMemory()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        for (int n = 1; n <= 5; n++)
        {
            await inventory.Hosts.CreateAsync(TestInventory.Sample(n), default);
        }
        HostRecord building = await inventory.Tracker.RequestBuildAsync((await inventory.Hosts.FindAsync("web03", default))!.Id, EventSources.Api, default);
        var directory = new HostDirectory(inventory.Database, inventory.Time) { PreloadPage = 2 };

        Assert.Equal(5, await directory.PreloadAsync(default));

        // Gone from the database behind the directory's back (and within the change check's interval): still answered, so from memory.
        await using (Microsoft.Data.Sqlite.SqliteConnection connection = new($"Data Source={Path.Join(inventory.Dir, "provisioner.db")}"))
        {
            await connection.OpenAsync();
            await using Microsoft.Data.Sqlite.SqliteCommand delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM hosts";
            Assert.Equal(5, await delete.ExecuteNonQueryAsync());
        }
        for (int n = 1; n <= 5; n++)
        {
            Assert.True(MacAddress.TryParse($"aa:bb:cc:dd:ee:{n:x2}", out MacAddress mac));
            Assert.Equal($"web{n:00}", (await directory.FindByMacAsync(mac, default))?.Hostname);
        }
        Assert.Equal("web03", (await directory.FindByTokenAsync(building.BuildToken!, default))?.Hostname);

        // The change check still notices: past its interval the directory empties and reads the database again.
        inventory.Time.Advance(HostDirectory.RevalidateInterval);
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress first));
        Assert.Null(await directory.FindByMacAsync(first, default));
    }

    [Fact]
    public async Task PreloadAsync_HostChangedAfterward_ServesTheChange()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.Equal(1, await inventory.Lookup.PreloadAsync(default));
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress mac));
        Assert.Equal(BuildState.Idle, (await inventory.Lookup.FindByMacAsync(mac, default))?.State);

        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;

        Assert.Equal(BuildState.Pending, (await inventory.Lookup.FindByMacAsync(mac, default))?.State);
        Assert.Equal(host.Id, (await inventory.Lookup.FindByTokenAsync(token, default))?.Id);
    }

    [Fact]
    public async Task HostChangeCounter_MatchesTheHostsTable_AfterCreateImportBuildUpdateAndDelete()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        await inventory.Tracker.RequestBuildAsync(one.Id, EventSources.Api, default);
        await inventory.Hosts.UpdateAsync(one.Id, new HostFields { Notes = "moved" }, partial: true, default);
        await inventory.Hosts.DeleteAsync((await inventory.Hosts.FindAsync("web02", default))!.Id, default);
        await inventory.Hosts.CreateAsync(TestInventory.Sample(3), default);

        await using Microsoft.Data.Sqlite.SqliteConnection connection = new($"Data Source={Path.Join(inventory.Dir, "provisioner.db")}");
        await connection.OpenAsync();
        await using Microsoft.Data.Sqlite.SqliteCommand query = connection.CreateCommand();
        query.CommandText = """SELECT count, revisions, (SELECT COUNT(*) FROM hosts), (SELECT SUM("Revision") FROM hosts) FROM host_changes""";
        await using Microsoft.Data.Sqlite.SqliteDataReader row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(2, row.GetInt64(0));
        Assert.Equal(row.GetInt64(2), row.GetInt64(0));
        Assert.Equal(row.GetInt64(3), row.GetInt64(1));
        Assert.True(row.GetInt64(1) >= 2, "the build and the edit each raised web01's revision");
    }

    /// <summary>A flood of made-up MACs (a DHCP fuzz, TFTP config names) is remembered only up to the limit; the hosts found stay.</summary>
    [Fact]
    public async Task FindByMacAsync_ManyUnknownMacs_RemembersAtMostTheLimit_AndKeepsHostsFound()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        var directory = new HostDirectory(inventory.Database, inventory.Time) { MissLimit = 100 };
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress known));
        Assert.Equal("web01", (await directory.FindByMacAsync(known, default))?.Hostname);
        for (int n = 0; n < 250; n++)
        {
            Assert.True(MacAddress.TryParse($"02:00:00:00:{n / 256:x2}:{n % 256:x2}", out MacAddress unknown));
            Assert.Null(await directory.FindByMacAsync(unknown, default));
            Assert.InRange(directory.RememberedMisses, 1, 100);
        }
        Assert.Equal("web01", (await directory.FindByMacAsync(known, default))?.Hostname);
    }
}
