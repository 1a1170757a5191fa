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
        (InstallerLogWriter writer, InstallerLogs logs) = await StartAsync(inventory, new InstallerLogOptions { MaxLinesPerBuild = 3 });
        HostRecord host = await BuildingHostAsync(inventory, 1, Peer);

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
        (InstallerLogWriter writer, InstallerLogs logs) = await StartAsync(inventory, new InstallerLogOptions());
        HostRecord host = await BuildingHostAsync(inventory, 1, Peer);
        await logs.ReceiveAsync(Peer, "partman", "partman: while installing", default);
        await WaitForLinesAsync(logs, host.Id, 1);

        await inventory.Tracker.CancelBuildAsync(host.Id, EventSources.Api, default);
        inventory.Time.Advance(InstallerLogs.BuildStateReuse);
        await logs.ReceiveAsync(Peer, "partman", "partman: after the cancel", default);
        await logs.ReceiveAsync(IPAddress.Parse(host.Ip), "partman", "partman: from its static address", default);
        // The writer saves lines in the order they came: once another installing host's later line is
        // saved, any of the lines above that had been filed would be saved too.
        var otherPeer = IPAddress.Parse("192.0.2.151");
        HostRecord other = await BuildingHostAsync(inventory, 2, otherPeer);
        await logs.ReceiveAsync(otherPeer, "partman", "partman: another host", default);
        await WaitForLinesAsync(logs, other.Id, 1);

        Assert.Equal(["partman: while installing"], (await logs.ReadAsync(host.Id, null, default)).Select(l => l.Text));
        await writer.StopAsync(default);
    }

    /// <summary>An installer that stops at a question nobody will answer fails its build at once, in its own words; debconf's protocol trace is not stored.</summary>
    [Fact]
    public async Task Receive_InstallerStopsAtAQuestion_BuildFailsWithItsWords_ChatterNotStored()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        (InstallerLogWriter writer, InstallerLogs logs) = await StartAsync(inventory, new InstallerLogOptions());
        HostRecord host = await BuildingHostAsync(inventory, 1, Peer);

        await logs.ReceiveAsync(Peer, "main-menu", "main-menu[1]: INFO: Menu item 'download-installer' selected", default);
        await logs.ReceiveAsync(Peer, "anna", "anna[7]: WARNING **: package retrieval failed", default);
        await logs.ReceiveAsync(Peer, "debconf", "debconf: --> GET retriever/net/error", default);
        await logs.ReceiveAsync(Peer, "debconf", "debconf: <-- 0 retry", default);
        await logs.ReceiveAsync(Peer, "debconf", "debconf: --> INPUT critical retriever/net/error", default);
        await logs.ReceiveAsync(Peer, "debconf", "debconf: <-- 0 question will be asked", default);
        await logs.ReceiveAsync(Peer, "debconf", "debconf: --> GO", default);
        // Lines are saved in the order they came: chatter, had it been stored, would be before this one.
        await logs.ReceiveAsync(Peer, "anna", "anna[7]: last", default);
        await inventory.Tracker.FlushAsync();

        HostRecord now = (await inventory.Hosts.FindAsync(host.Mac, default))!;
        const string reason = "installer stopped at download-installer: waiting for an answer to retriever/net/error (anna: WARNING **: package retrieval failed)";
        Assert.Equal((BuildState.Failed, reason), (now.State, now.StateReason));
        Assert.Contains(await inventory.Tracker.TimelineAsync(host.Id, default), e => e.Source == EventSources.Syslog && e.Message == reason && e.State == BuildState.Failed);
        Assert.Equal(
            ["main-menu[1]: INFO: Menu item 'download-installer' selected", "anna[7]: WARNING **: package retrieval failed", "debconf: --> INPUT critical retriever/net/error", "anna[7]: last"],
            (await WaitForLinesAsync(logs, host.Id, 4)).Select(l => l.Text));
        await writer.StopAsync(default);
    }

    private static async Task<(InstallerLogWriter Writer, InstallerLogs Logs)> StartAsync(TestInventory inventory, InstallerLogOptions options)
    {
        var writer = new InstallerLogWriter(inventory.Database, new Provisioner.Core.Events.EventBus(), Options.Create(options), inventory.Time, NullLogger<InstallerLogWriter>.Instance);
        await writer.StartAsync(default);
        return (writer, new InstallerLogs(inventory.Resolver, writer, inventory.Tracker, inventory.Database, inventory.Time, NullLogger<InstallerLogs>.Instance));
    }

    /// <summary>Sample host <paramref name="n"/> in build mode, whose installer fetched its preseed (the token-bearing first request) from <paramref name="peer"/>.</summary>
    private static async Task<HostRecord> BuildingHostAsync(TestInventory inventory, int n, IPAddress peer)
    {
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(n), default);
        HostRecord built = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        await inventory.FetchPreseedAsync(built.BuildToken!, peer, "http://192.0.2.1:8080");
        return host;
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
