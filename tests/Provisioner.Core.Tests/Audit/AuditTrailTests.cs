using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Audit;

/// <summary>Each change and build request leaves who did it, over real SQLite: hosts, imports, builds, groups.</summary>
public sealed class AuditTrailTests
{
    private static readonly Actor Alice = new("alice", Actor.Web);
    private static readonly Actor Ci = new("ci", Actor.Api);

    [Fact]
    public async Task HostChanges_NameTheActorAndWhatChanged()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var trail = new AuditTrail(inventory.Database);
        HostRecord host;
        using (AuditContext.Begin(Alice))
        {
            host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        }
        using (AuditContext.Begin(Ci))
        {
            await inventory.Hosts.UpdateAsync(host.Id, new HostFields { Ip = "192.0.2.99/24", Notes = "moved" }, partial: true, default);
            await inventory.Hosts.DeleteAsync(host.Id, default);
        }

        AuditPage page = await trail.PageAsync(new AuditQuery(), before: null, take: 10, default);

        Assert.Equal(3, page.Total);
        Assert.Equal([AuditActions.HostRemoved, AuditActions.HostChanged, AuditActions.HostAdded], page.Entries.Select(e => e.Action));
        Assert.All(page.Entries, e => Assert.Equal(("web01", (int?)host.Id), (e.Target, e.HostId)));
        Assert.Equal(["ci", "ci", "alice"], page.Entries.Select(e => e.Actor));
        Assert.Equal("token ci", page.Entries[0].ActorDisplay);
        Assert.Equal("ip: 192.0.2.11/24 → 192.0.2.99/24; notes: (none) → moved", page.Entries[1].Detail);
        Assert.StartsWith("mac: aa:bb:cc:dd:ee:01; hostname: web01; domain: example.org; ip: 192.0.2.11/24;", page.Entries[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoActorSet_IsTheAppliance()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        AuditPage page = await new AuditTrail(inventory.Database).PageAsync(new AuditQuery(), null, 10, default);

        Assert.Equal(("appliance", Actor.SystemVia), (page.Entries[0].Actor, page.Entries[0].Via));
    }

    [Fact]
    public async Task BuildRequestAndCancel_OnTheTimelineAndInTheTrail()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        using (AuditContext.Begin(Alice))
        {
            await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Web, default);
        }
        using (AuditContext.Begin(new Actor("root", Actor.Cli)))
        {
            await inventory.Tracker.CancelBuildAsync(host.Id, EventSources.Api, default);
        }

        List<HostEvent> timeline = await inventory.Tracker.TimelineAsync(host.Id, default);
        List<AuditEntry> trail = await new AuditTrail(inventory.Database).ForHostAsync(host.Id, default);

        Assert.Equal(["alice", "root (cli)"], timeline.Select(e => e.Actor));
        Assert.Equal([AuditActions.HostAdded, AuditActions.BuildRequested, AuditActions.BuildCancelled], trail.Select(e => e.Action));
        Assert.Equal(["appliance", "alice", "root"], trail.Select(e => e.Actor));
        Assert.StartsWith("profile debian12: ", trail[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OneEntryForTheAddedAndOnePerChangedHost()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        ParsedImport parsed = HostImportParser.Parse(
            "192.0.2.11|aa:bb:cc:dd:ee:01|web01\n192.0.2.12|aa:bb:cc:dd:ee:02|web02\n192.0.2.13|aa:bb:cc:dd:ee:03|web03\n",
            HostImportFormat.Ip2Mac, new HostFields { Profile = "debian12" }, 24);
        using (AuditContext.Begin(Alice))
        {
            await inventory.Hosts.ImportAsync(parsed, update: true, default);
        }

        AuditPage page = await new AuditTrail(inventory.Database).PageAsync(new AuditQuery(Actor: "alice"), null, 10, default);

        Assert.Equal(2, page.Total);
        AuditEntry imported = Assert.Single(page.Entries, e => e.Action == AuditActions.HostsImported);
        Assert.Equal(("2 host(s) added", "added: web02, web03"), (imported.Target, imported.Detail));
        AuditEntry changed = Assert.Single(page.Entries, e => e.Action == AuditActions.HostChanged);
        Assert.Equal("web01", changed.Target);
        Assert.StartsWith("import: ", changed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_GoesBackWithoutOverlapAndFiltersByKind()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        using (AuditContext.Begin(Alice))
        {
            for (int n = 1; n <= 5; n++)
            {
                await inventory.Hosts.CreateAsync(TestInventory.Sample(n), default);
            }
            await inventory.Groups.CreateAsync(new HostGroupFields { Name = "rack-a", Gateway = "192.0.2.1" }, default);
        }
        var trail = new AuditTrail(inventory.Database);

        AuditPage first = await trail.PageAsync(new AuditQuery(Action: "host"), null, 2, default);
        AuditPage second = await trail.PageAsync(new AuditQuery(Action: "host"), first.Entries[^1].Id, 2, default);
        AuditPage last = await trail.PageAsync(new AuditQuery(Action: "host"), second.Entries[^1].Id, 2, default);
        AuditPage groups = await trail.PageAsync(new AuditQuery(Action: AuditActions.GroupAdded), null, 10, default);

        Assert.Equal(5, first.Total);
        Assert.Equal(["web05", "web04", "web03", "web02", "web01"], first.Entries.Concat(second.Entries).Concat(last.Entries).Select(e => e.Target));
        Assert.True(first.More && second.More);
        Assert.False(last.More);
        Assert.Equal("rack-a", Assert.Single(groups.Entries).Target);
    }

    [Fact]
    public async Task RefusedChange_LeavesNoEntry()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.UpdateAsync(host.Id, new HostFields { Ip = "192.0.2.300/24" }, partial: true, default));

        Assert.Equal(1, (await new AuditTrail(inventory.Database).PageAsync(new AuditQuery(), null, 10, default)).Total);
    }
}
