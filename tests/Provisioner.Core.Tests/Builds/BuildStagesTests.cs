using Provisioner.Core.Builds;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Builds;

/// <summary>Recent builds' stages from their timelines (real SQLite, a fake clock): where each stage begins and ends.</summary>
public sealed class BuildStagesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DeployedBuild_FourStagesFromTheFirstSignToTheFirstBoot()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        // Powered on two minutes later; firmware 20 s; kernel and initrd 40 s; installer 10 min; first boot 90 s.
        Step(inventory, host, 120, new PxeDhcpSeen("x86 BIOS"));
        Step(inventory, host, 140, new ConfigTransferred("01-aa-bb-cc-dd-ee-01", "192.0.2.11"));
        Step(inventory, host, 180, new PreseedServed("192.0.2.11"));
        Step(inventory, host, 780, new CallbackReceived(CallbackKind.Finished, ""));
        Step(inventory, host, 870, new CallbackReceived(CallbackKind.Booted, ""));
        await inventory.Tracker.FlushAsync();

        BuildTiming build = Assert.Single(await new BuildStages(inventory.Database, inventory.Time).RecentAsync(10, default));

        Assert.Equal((BuildState.Deployed, "web01", TimeSpan.FromSeconds(120)), (build.State, build.Hostname, build.Waiting!.Value));
        Assert.Equal([BuildStage.Firmware, BuildStage.BootFiles, BuildStage.Installer, BuildStage.FirstBoot], build.Stages.Select(s => s.Stage));
        Assert.Equal([20, 40, 600, 90], build.Stages.Select(s => s.Duration.TotalSeconds));
        Assert.DoesNotContain(build.Stages, s => s.Failed || s.Running);
        Assert.Equal(TimeSpan.FromSeconds(750), build.Duration);
    }

    [Fact]
    public async Task FailedAndRunningBuilds_EndWhereTheyStand_CancelledOnesLeftOut()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord failed = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord running = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        HostRecord cancelled = await inventory.Hosts.CreateAsync(TestInventory.Sample(3), default);
        foreach (HostRecord host in new[] { failed, running, cancelled })
        {
            await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        }
        // No DHCP captured here: the firmware's stage has no start of its own and takes no time.
        Step(inventory, failed, 10, new ConfigTransferred("01-aa-bb-cc-dd-ee-01", "192.0.2.11"));
        Step(inventory, running, 30, new PxeDhcpSeen("x86 BIOS"));
        Step(inventory, cancelled, 30, new PxeDhcpSeen("x86 BIOS"));
        Step(inventory, running, 45, new ConfigTransferred("01-aa-bb-cc-dd-ee-02", "192.0.2.12"));
        Step(inventory, failed, 50, new PreseedServed("192.0.2.11"));
        Step(inventory, failed, 70, new InstallerStopped("installer stopped at choose-mirror"));
        await inventory.Tracker.FlushAsync();
        await inventory.Tracker.CancelBuildAsync(cancelled.Id, EventSources.Api, default);
        inventory.Time.SetUtcNow(T0.AddSeconds(100));

        List<BuildTiming> builds = await new BuildStages(inventory.Database, inventory.Time).RecentAsync(10, default);

        Assert.Equal(["web02", "web01"], builds.Select(b => b.Hostname));
        BuildTiming stillRunning = builds[0];
        Assert.Equal([(BuildStage.Firmware, 15.0, false), (BuildStage.BootFiles, 55.0, true)], stillRunning.Stages.Select(s => (s.Stage, s.Duration.TotalSeconds, s.Running)));
        BuildTiming stopped = builds[1];
        Assert.Equal([(BuildStage.Firmware, 0.0, false), (BuildStage.BootFiles, 40.0, false), (BuildStage.Installer, 20.0, true)],
            stopped.Stages.Select(s => (s.Stage, s.Duration.TotalSeconds, s.Failed)));
        Assert.Equal(BuildState.Failed, stopped.State);
    }

    [Fact]
    public async Task ARebuild_IsABuildOfItsOwn()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        Step(inventory, host, 10, new ConfigTransferred("01-aa-bb-cc-dd-ee-01", "192.0.2.11"));
        Step(inventory, host, 20, new InstallerStopped("installer stopped at partman"));
        await inventory.Tracker.FlushAsync();
        inventory.Time.SetUtcNow(T0.AddSeconds(300));
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        inventory.Time.SetUtcNow(T0.AddSeconds(360));

        List<BuildTiming> builds = await new BuildStages(inventory.Database, inventory.Time).RecentAsync(10, default);

        Assert.Equal([BuildState.Pending, BuildState.Failed], builds.Select(b => b.State));
        Assert.Empty(builds[0].Stages);
        Assert.Equal(TimeSpan.FromSeconds(60), builds[0].Waiting);
        Assert.Equal(2, builds[1].Stages.Count);
    }

    private static void Step(TestInventory inventory, HostRecord host, int seconds, BuildFact fact)
    {
        inventory.Time.SetUtcNow(T0.AddSeconds(seconds));
        inventory.Tracker.Record(host.Id, EventSources.Tftp, fact);
    }
}
