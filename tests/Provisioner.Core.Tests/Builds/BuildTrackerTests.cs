using System.Net;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Builds;

public sealed class BuildTrackerTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.200");

    [Fact]
    public async Task FullBuild_StepsThroughEveryStateAndKeepsTheTimeline()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        BuildTracker tracker = inventory.Tracker;

        HostRecord pending = await tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        string token = pending.BuildToken!;
        Assert.Equal(BuildState.Pending, pending.State);
        Assert.NotNull(await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://192.0.2.1:8080"));
        Assert.Equal(BuildState.Booting, await StateAsync(inventory, host));
        await inventory.Facts.RecordAsync(new TransferCompleted(inventory.Time.GetUtcNow(), "tftp", new IPEndPoint(Peer, 49153), "debian12/linux", 8_222_656, TimeSpan.FromSeconds(1)), default);
        Assert.Equal(("linux transferred", BuildProgress.FirstFileTransferred), await ProgressAsync(inventory, host));
        Assert.NotNull((await inventory.FetchPreseedAsync(token, Peer, "http://192.0.2.1:8080")).Text);
        Assert.Equal(BuildState.Installing, await StateAsync(inventory, host));
        Assert.True(await tracker.CallbackAsync(token, CallbackKind.Early, null, default));
        Assert.Equal(("installing", BuildProgress.InstallerStarted), await ProgressAsync(inventory, host));
        Assert.True(await tracker.CallbackAsync(token, CallbackKind.Late, "packages in", default));
        // A retried early callback after late does not move the bar back.
        Assert.True(await tracker.CallbackAsync(token, CallbackKind.Early, null, default));
        Assert.Equal(("finishing", BuildProgress.InstallerFinishing), await ProgressAsync(inventory, host));
        Assert.True(await tracker.CallbackAsync(token, CallbackKind.Finished, null, default));
        Assert.Equal(BuildState.Installed, await StateAsync(inventory, host));
        Assert.Equal(("installed", 100), await ProgressAsync(inventory, host));

        List<HostEvent> timeline = await tracker.TimelineAsync(host.Id, default);
        Assert.Equal(
            ["pending", "booting", "booting", "installing", "installing", "installing", "installing", "installed"],
            timeline.Select(e => e.State.Name()));
        Assert.Equal([EventSources.Api, EventSources.Tftp, EventSources.Tftp, EventSources.Http, EventSources.Callback, EventSources.Callback, EventSources.Callback, EventSources.Callback], timeline.Select(e => e.Source));
        Assert.Contains("packages in", timeline[5].Message, StringComparison.Ordinal);
        Assert.All(timeline, e => Assert.Equal(inventory.Time.GetUtcNow().UtcDateTime, e.At));
    }

    [Fact]
    public async Task InstalledHost_GetsLocalBootConfig_NotTheInstallerAgain()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        string? installer = await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://x");
        await inventory.Tracker.CallbackAsync(token, CallbackKind.Finished, null, default);

        string? after = await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://x");

        Assert.Contains("KERNEL debian12/linux", installer, StringComparison.Ordinal);
        Assert.Contains("LOCALBOOT 0", after, StringComparison.Ordinal);
        Assert.DoesNotContain("KERNEL", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_WrongToken_ChangesNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        string wrong = (token[0] == 'A' ? "B" : "A") + token[1..];

        Assert.False(await inventory.Tracker.CallbackAsync(wrong, CallbackKind.Finished, null, default));
        Assert.False(await inventory.Tracker.CallbackAsync("short", CallbackKind.Finished, null, default));

        Assert.Equal(BuildState.Pending, await StateAsync(inventory, host));
        Assert.Single(await inventory.Tracker.TimelineAsync(host.Id, default));
    }

    [Fact]
    public async Task Callback_TokenOfAnEarlierBuild_ChangesNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string first = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);

        Assert.False(await inventory.Tracker.CallbackAsync(first, CallbackKind.Finished, null, default));
        Assert.Equal(BuildState.Pending, await StateAsync(inventory, host));
    }

    [Fact]
    public async Task FailedCallback_KeepsTheInstallersMessage()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;

        Assert.True(await inventory.Tracker.CallbackAsync(token, CallbackKind.Failed, "partman: no disk\u0007", default));

        HostRecord? failed = await inventory.Hosts.FindAsync("web01", default);
        Assert.Equal(BuildState.Failed, failed!.State);
        Assert.Equal("partman: no disk", failed.StateReason);
    }

    [Fact]
    public async Task FailStalled_QuietBuildPastTimeout_FailsWithReason_PendingWaits()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord booting = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord pending = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        await inventory.Tracker.RequestBuildAsync(booting.Id, EventSources.Api, default);
        await inventory.Tracker.RequestBuildAsync(pending.Id, EventSources.Api, default);
        await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://x");

        await inventory.Tracker.FlushAsync();
        inventory.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await inventory.Tracker.FailStalledAsync(TimeSpan.FromMinutes(30), default));
        inventory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await inventory.Tracker.FailStalledAsync(TimeSpan.FromMinutes(30), default));

        HostRecord? stalled = await inventory.Hosts.FindAsync("web01", default);
        Assert.Equal(BuildState.Failed, stalled!.State);
        Assert.StartsWith("stalled: no progress for 30 minutes while booting", stalled.StateReason, StringComparison.Ordinal);
        Assert.Equal(BuildState.Pending, await StateAsync(inventory, pending));
    }

    /// <summary>
    /// The installed system's first-boot report makes the host deployed; an install that never reports
    /// fails after the timeout with the reason; hosts installed before there were reports wait for none.
    /// </summary>
    [Fact]
    public async Task FirstBoot_ReportDeploys_SilenceFailsAfterTimeout_EarlierInstallsLeftAlone()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord silent = await InstalledAsync(inventory, 1);
        HostRecord reporting = await InstalledAsync(inventory, 2);
        HostRecord earlier = await inventory.Hosts.CreateAsync(TestInventory.Sample(3), default);
        await using (Provisioner.Core.Inventory.Data.InventoryDbContext db = inventory.Database.CreateContext())
        {
            // As an appliance before first-boot reports left it: installed, waiting for nothing.
            await db.Hosts.Where(h => h.Id == earlier.Id).ExecuteUpdateAsync(u => u.SetProperty(h => h.State, BuildState.Installed).SetProperty(h => h.LastProgressAt, inventory.Time.GetUtcNow().UtcDateTime));
        }

        Assert.True(await inventory.Tracker.CallbackAsync(reporting.BuildToken!, CallbackKind.Booted, null, default));
        Assert.False(await inventory.Tracker.CallbackAsync(reporting.BuildToken!, CallbackKind.Booted, null, default));
        Assert.False(await inventory.Tracker.CallbackAsync(silent.BuildToken!, CallbackKind.Early, null, default));
        inventory.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await inventory.Tracker.FailSilentFirstBootsAsync(TimeSpan.FromMinutes(30), default));
        inventory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await inventory.Tracker.FailSilentFirstBootsAsync(TimeSpan.FromMinutes(30), default));

        HostRecord? failed = await inventory.Hosts.FindAsync(silent.Mac, default);
        Assert.Equal((BuildState.Failed, "installed but did not boot from disk: no first-boot report within 30 minutes"), (failed!.State, failed.StateReason));
        Assert.Equal(BuildState.Deployed, await StateAsync(inventory, reporting));
        Assert.Equal(BuildState.Installed, await StateAsync(inventory, earlier));
        Assert.False(await inventory.Tracker.CallbackAsync(silent.BuildToken!, CallbackKind.Booted, null, default));
        Assert.Contains(await inventory.Tracker.TimelineAsync(reporting.Id, default), e => e.Source == EventSources.Callback && e.Message == "first boot from disk reported" && e.State == BuildState.Deployed);
    }

    /// <summary>Sample host <paramref name="n"/>, built here: its installer called back <c>finished</c>.</summary>
    private static async Task<HostRecord> InstalledAsync(TestInventory inventory, int n)
    {
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(n), default);
        HostRecord built = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        Assert.True(await inventory.Tracker.CallbackAsync(built.BuildToken!, CallbackKind.Finished, null, default));
        return built;
    }

    [Fact]
    public async Task ConfigServed_RepeatWithinAMinute_IsNotRecordedAgain_LaterOneIs()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);

        for (int i = 0; i < 5; i++)
        {
            await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://x");
            inventory.Time.Advance(TimeSpan.FromSeconds(10));
        }
        inventory.Time.Advance(BuildTracker.RepeatInterval);
        await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer, "http://x");

        await inventory.Tracker.FlushAsync();
        Assert.Equal(["pending", "booting", "booting"], (await inventory.Tracker.TimelineAsync(host.Id, default)).Select(e => e.State.Name()));
    }

    [Fact]
    public async Task InstalledHost_OldPreseedAndReplayedFailedThenEarly_RefusedAndChangeNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer);
        Assert.NotNull((await inventory.FetchPreseedAsync(token, Peer)).Text);
        Assert.True(await inventory.Tracker.CallbackAsync(token, CallbackKind.Finished, null, default));
        int events = (await inventory.Tracker.TimelineAsync(host.Id, default)).Count;

        Assert.Null((await inventory.FetchPreseedAsync(token, Peer)).Text);
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Failed, "replayed", default));
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Early, null, default));

        Assert.Equal(BuildState.Installed, await StateAsync(inventory, host));
        Assert.Equal(events, (await inventory.Tracker.TimelineAsync(host.Id, default)).Count);
        Assert.Contains("LOCALBOOT 0", await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedBuild_OldTokensPreseedAndCallbacks_Refused_NewBuildHasANewToken()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        Assert.True(await inventory.Tracker.CallbackAsync(token, CallbackKind.Failed, "partman: no disk", default));

        Assert.Null((await inventory.FetchPreseedAsync(token, Peer)).Text);
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Early, null, default));
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Finished, null, default));
        Assert.Equal(BuildState.Failed, await StateAsync(inventory, host));

        string again = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        Assert.NotEqual(token, again);
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Early, null, default));
        Assert.True(await inventory.Tracker.CallbackAsync(again, CallbackKind.Early, null, default));
    }

    [Fact]
    public async Task CancelledBuild_OldConfigGetsLocalBoot_OldTokenRefused()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        Assert.Contains("KERNEL debian12/linux", await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer), StringComparison.Ordinal);
        await inventory.Tracker.CancelBuildAsync(host.Id, EventSources.Api, default);

        string? config = await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-01", Peer);

        Assert.Contains("LOCALBOOT 0", config, StringComparison.Ordinal);
        Assert.DoesNotContain(token, config, StringComparison.Ordinal);
        Assert.Null((await inventory.FetchPreseedAsync(token, Peer)).Text);
        Assert.False(await inventory.Tracker.CallbackAsync(token, CallbackKind.Early, null, default));
        Assert.Equal(BuildState.Idle, await StateAsync(inventory, host));
    }

    [Fact]
    public async Task Renders_OfConfigsAndPreseeds_RecordNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord pending = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        Assert.True(MacAddress.TryParse(host.Mac, out MacAddress mac));
        inventory.Bindings.Record(Peer, mac, inventory.Time.GetUtcNow(), out _, vouched: true);

        foreach (BootLoader loader in BootLoader.All)
        {
            string name = loader == BootLoader.Grub ? "grub.cfg-01-aa-bb-cc-dd-ee-01" : loader == BootLoader.Ipxe ? "aa-bb-cc-dd-ee-01" : "01-aa-bb-cc-dd-ee-01";
            Assert.NotNull(await inventory.Configs.RenderAsync(loader, name, "http://192.0.2.1:8080", default));
        }
        Assert.NotNull((await inventory.Preseeds.ForTokenAsync(pending.BuildToken!, "http://192.0.2.1:8080", default)).Text);
        Assert.NotNull((await inventory.Preseeds.ForRequesterAsync(Peer, null, "http://192.0.2.1:8080", default)).Text);

        await inventory.Tracker.FlushAsync();
        HostRecord after = (await inventory.Hosts.FindAsync("web01", default))!;
        Assert.Equal((BuildState.Pending, pending.Revision, pending.Progress), (after.State, after.Revision, after.Progress));
        Assert.Single(await inventory.Tracker.TimelineAsync(host.Id, default));
        Assert.Null(inventory.Resolver.HostAt(Peer));
    }

    /// <summary>The stored state once every reported step is written.</summary>
    private static async Task<(string? Step, int Progress)> ProgressAsync(TestInventory inventory, HostRecord host)
    {
        await inventory.Tracker.FlushAsync();
        HostRecord now = (await inventory.Hosts.FindAsync(host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), default))!;
        return (now.Step, now.Progress);
    }

    private static async Task<BuildState> StateAsync(TestInventory inventory, HostRecord host)
    {
        await inventory.Tracker.FlushAsync();
        return (await inventory.Hosts.FindAsync(host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), default))!.State;
    }
}
