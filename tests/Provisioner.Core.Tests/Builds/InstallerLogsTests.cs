using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Builds;

public sealed class InstallerLogsTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.150");

    [Fact]
    public async Task Receive_FromTheBuildingHost_StoredInOrderAndMenuStepsMoveProgress_StrangersDropped()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var writer = new InstallerLogWriter(inventory.Database, new Provisioner.Core.Events.EventBus(), Options.Create(new InstallerLogOptions { MaxLinesPerBuild = 3 }), inventory.Time, NullLogger<InstallerLogWriter>.Instance);
        await writer.StartAsync(default);
        var logs = new InstallerLogs(inventory.Resolver, writer, inventory.Tracker, inventory.Database, inventory.Time, NullLogger<InstallerLogs>.Instance);
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord built = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        // The installer fetched its preseed from this address (the token-bearing first request).
        await inventory.FetchPreseedAsync(built.BuildToken!, Peer, "http://192.0.2.1:8080");

        await logs.ReceiveAsync(Peer, "main-menu", "main-menu[1]: INFO: Menu item 'partman-base' selected", default);
        await logs.ReceiveAsync(Peer, "partman", "partman: line two", default);
        await logs.ReceiveAsync(IPAddress.Parse("192.0.2.99"), "x", "x: from nobody", default);
        await logs.ReceiveAsync(Peer, "partman", "partman: line three", default);
        await logs.ReceiveAsync(Peer, "partman", "partman: over the limit", default);

        List<InstallerLogLine> lines = await WaitForLinesAsync(logs, host.Id, 3);
        Assert.Equal(["main-menu[1]: INFO: Menu item 'partman-base' selected", "partman: line two", "partman: line three"], lines.Select(l => l.Text));
        Assert.Equal(["partman: line three"], (await logs.ReadAsync(host.Id, 1, default)).Select(l => l.Text));
        Assert.StartsWith("2026-11-25T10:00:00.000Z main-menu[1]", InstallerLogs.Format(lines), StringComparison.Ordinal);
        await inventory.Tracker.FlushAsync();
        HostRecord now = (await inventory.Hosts.FindAsync(host.Mac, default))!;
        Assert.Equal(("installer: partitioning (partman-base)", 62, BuildState.Installing), (now.Step, now.Progress, now.State));
        Assert.Contains(await inventory.Tracker.TimelineAsync(host.Id, default), e => e.Source == EventSources.Syslog && e.Message == "installer step partman-base");

        // A new build starts a new log.
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        Assert.Empty(await logs.ReadAsync(host.Id, null, default));
        await writer.StopAsync(default);
    }

    /// <summary>Lines from a cancelled host's address kept landing in its log; now only an installing host's lines are filed.</summary>
    [Fact]
    public async Task Receive_AfterTheBuildWasCancelled_DroppedNotFiled()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var writer = new InstallerLogWriter(inventory.Database, new Provisioner.Core.Events.EventBus(), Options.Create(new InstallerLogOptions()), inventory.Time, NullLogger<InstallerLogWriter>.Instance);
        await writer.StartAsync(default);
        var logs = new InstallerLogs(inventory.Resolver, writer, inventory.Tracker, inventory.Database, inventory.Time, NullLogger<InstallerLogs>.Instance);
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord built = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        await inventory.FetchPreseedAsync(built.BuildToken!, Peer, "http://192.0.2.1:8080");
        await logs.ReceiveAsync(Peer, "partman", "partman: while installing", default);
        await WaitForLinesAsync(logs, host.Id, 1);

        await inventory.Tracker.CancelBuildAsync(host.Id, EventSources.Api, default);
        inventory.Time.Advance(InstallerLogs.BuildStateReuse);
        await logs.ReceiveAsync(Peer, "partman", "partman: after the cancel", default);
        await logs.ReceiveAsync(IPAddress.Parse(host.Ip), "partman", "partman: from its static address", default);
        // The writer saves lines in the order they came: once another installing host's later line is
        // saved, any of the lines above that had been filed would be saved too.
        HostRecord other = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        HostRecord otherBuild = await inventory.Tracker.RequestBuildAsync(other.Id, EventSources.Api, default);
        var otherPeer = IPAddress.Parse("192.0.2.151");
        await inventory.FetchPreseedAsync(otherBuild.BuildToken!, otherPeer, "http://192.0.2.1:8080");
        await logs.ReceiveAsync(otherPeer, "partman", "partman: another host", default);
        await WaitForLinesAsync(logs, other.Id, 1);

        Assert.Equal(["partman: while installing"], (await logs.ReadAsync(host.Id, null, default)).Select(l => l.Text));
        await writer.StopAsync(default);
    }

    private static async Task<List<InstallerLogLine>> WaitForLinesAsync(InstallerLogs logs, int hostId, int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            List<InstallerLogLine> lines = await logs.ReadAsync(hostId, null, default);
            if (lines.Count >= count)
            {
                return lines;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"fewer than {count} lines saved");
    }
}
