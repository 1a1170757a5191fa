using Provisioner.Core.Builds;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Builds.Lifecycle;

/// <summary>The lifecycle as a table: every state against every fact, here and pinned to another appliance.</summary>
public sealed class BuildLifecycleTests
{
    /// <summary>The facts of the table, by the short name its rows use.</summary>
    private static readonly Dictionary<string, BuildFact> Facts = new()
    {
        ["request"] = new BuildRequested(),
        ["cancel"] = new BuildCancelled(),
        ["dhcp"] = new PxeDhcpSeen("BIOS"),
        ["config"] = new ConfigTransferred("pxelinux.cfg/01-52-54-00-12-34-56", "192.0.2.10"),
        ["file"] = new FileTransferred("debian12/linux", Completed: true, "debian12/linux transferred (8.2 MB in 1.0 s)"),
        ["missing"] = new KernelOrInitrdMissing("debian12/initrd.gz"),
        ["preseed"] = new PreseedServed("192.0.2.10"),
        ["step"] = new InstallerStepSeen("partman-base"),
        ["stopped"] = new InstallerStopped("installer stopped at download-installer: waiting for an answer to retriever/net/error"),
        ["early"] = new CallbackReceived(CallbackKind.Early, ""),
        ["late"] = new CallbackReceived(CallbackKind.Late, ""),
        ["finished"] = new CallbackReceived(CallbackKind.Finished, ""),
        ["failed"] = new CallbackReceived(CallbackKind.Failed, "partman: no disk"),
        ["stalled"] = new BuildStalled(TimeSpan.FromMinutes(30)),
        ["booted"] = new CallbackReceived(CallbackKind.Booted, ""),
        ["firstboot"] = new FirstBootMissed(TimeSpan.FromMinutes(30)),
        ["deploy"] = new DeployStepReported("writing the image", 70),
        ["power"] = new PowerStepTaken("powered on (it was off)"),
    };

    /// <summary>Columns in the order of <see cref="Facts"/>; "-" is refused: nothing changes, nothing is recorded.</summary>
    private static readonly string[] Columns = [.. Facts.Keys];

    /// <summary>The state each fact leads to, per starting state, for a host this appliance builds.</summary>
    private static readonly Dictionary<BuildState, string[]> Here = new()
    {
        //                               request    cancel  dhcp          config        file          missing   preseed       step          stopped   early         late          finished     failed    stalled   booted      firstboot deploy        power
        [BuildState.Idle] = [            "pending", "idle", "-",          "-",          "-",          "-",      "-",          "-",          "-",      "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "idle"],
        [BuildState.Pending] = [         "pending", "idle", "pending",    "booting",    "pending",    "failed", "installing", "installing", "failed", "installing", "installing", "installed", "failed", "-",      "-",        "-", "installing", "pending"],
        [BuildState.Booting] = [         "pending", "idle", "booting",    "booting",    "booting",    "failed", "installing", "installing", "failed", "installing", "installing", "installed", "failed", "failed", "-",        "-", "installing", "booting"],
        [BuildState.Installing] = [      "pending", "idle", "installing", "installing", "installing", "failed", "installing", "installing", "failed", "installing", "installing", "installed", "failed", "failed", "-",        "-", "installing", "installing"],
        [BuildState.Installed] = [       "pending", "idle", "-",          "-",          "-",          "-",      "-",          "-",          "-",      "-",          "-",          "-",         "-",      "-",      "deployed", "failed", "-", "installed"],
        [BuildState.Deployed] = [        "pending", "idle", "-",          "-",          "-",          "-",      "-",          "-",          "-",      "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "deployed"],
        [BuildState.Failed] = [          "pending", "idle", "-",          "-",          "-",          "-",      "-",          "-",          "-",      "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "failed"],
    };

    /// <summary>
    /// The same for a host pinned to another appliance: what is known only by MAC or address (DHCP,
    /// config, files, syslog) is not this appliance's build; what carries the token is the build's.
    /// </summary>
    private static readonly Dictionary<BuildState, string[]> Elsewhere = new()
    {
        //                               request    cancel  dhcp config file missing preseed       step stopped early         late          finished     failed    stalled   booted      firstboot deploy        power
        [BuildState.Idle] = [            "pending", "idle", "-", "-",   "-", "-",    "-",          "-", "-",    "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "idle"],
        [BuildState.Pending] = [         "pending", "idle", "-", "-",   "-", "-",    "installing", "-", "-",    "installing", "installing", "installed", "failed", "-",      "-",        "-", "installing", "pending"],
        [BuildState.Booting] = [         "pending", "idle", "-", "-",   "-", "-",    "installing", "-", "-",    "installing", "installing", "installed", "failed", "failed", "-",        "-", "installing", "booting"],
        [BuildState.Installing] = [      "pending", "idle", "-", "-",   "-", "-",    "installing", "-", "-",    "installing", "installing", "installed", "failed", "failed", "-",        "-", "installing", "installing"],
        [BuildState.Installed] = [       "pending", "idle", "-", "-",   "-", "-",    "-",          "-", "-",    "-",          "-",          "-",         "-",      "-",      "deployed", "failed", "-", "installed"],
        [BuildState.Deployed] = [        "pending", "idle", "-", "-",   "-", "-",    "-",          "-", "-",    "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "deployed"],
        [BuildState.Failed] = [          "pending", "idle", "-", "-",   "-", "-",    "-",          "-", "-",    "-",          "-",          "-",         "-",      "-",      "-",        "-", "-", "failed"],
    };

    public static TheoryData<BuildState, bool, string, string> Table()
    {
        var rows = new TheoryData<BuildState, bool, string, string>();
        foreach ((bool pinned, Dictionary<BuildState, string[]> table) in new[] { (false, Here), (true, Elsewhere) })
        {
            foreach ((BuildState state, string[] outcomes) in table)
            {
                for (int i = 0; i < Columns.Length; i++)
                {
                    rows.Add(state, pinned, Columns[i], outcomes[i]);
                }
            }
        }
        return rows;
    }

    [Fact]
    public void PowerStep_ChangesNothingButTheTimeline_AFailuresReasonStands()
    {
        Transition transition = BuildLifecycle.Apply(new HostBuild(BuildState.Failed, 40, "debian12", Reason: "partman: no disk"), new PowerStepTaken("power cycled"))!;
        Assert.Equal(new Transition(BuildState.Failed, "power: power cycled", Reason: "partman: no disk"), transition);
    }

    [Fact]
    public void Table_CoversEveryStateAndEveryFact()
    {
        Assert.Equal(Enum.GetValues<BuildState>().Order(), Here.Keys.Order());
        Assert.Equal(Enum.GetValues<BuildState>().Order(), Elsewhere.Keys.Order());
        Assert.All(Here.Values.Concat(Elsewhere.Values), row => Assert.Equal(Columns.Length, row.Length));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Apply_StateAndFact_GiveTheTabledState(BuildState state, bool pinnedElsewhere, string fact, string expected)
    {
        // A failed host always has its reason; a fact that keeps the state keeps that too.
        string? reason = state == BuildState.Failed ? "partman: no disk" : null;
        Transition? transition = BuildLifecycle.Apply(new HostBuild(state, Progress: 30, Profile: "debian12", PinnedElsewhere: pinnedElsewhere, Reason: reason), Facts[fact]);

        Assert.Equal(expected, transition?.State.Name() ?? "-");
        if (transition is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(transition.Message));
            Assert.Equal(transition.State == BuildState.Failed, transition.Reason is not null);
            Assert.Equal(fact switch { "request" => TokenChange.Issue, "cancel" => TokenChange.Clear, _ => TokenChange.Keep }, transition.Token);
        }
    }

    public static TheoryData<BuildState, bool, BootConfigChoice, bool, bool, bool, bool, string> Entitlements() => new()
    {
        // state, pinned elsewhere → config, preseed by token, by address, ProxyDHCP, installer log, callbacks accepted
        { BuildState.Idle, false, BootConfigChoice.LocalBoot, false, false, false, false, "" },
        { BuildState.Pending, false, BootConfigChoice.Installer, true, true, true, true, "Early Late Finished Failed" },
        { BuildState.Booting, false, BootConfigChoice.Installer, true, true, true, true, "Early Late Finished Failed" },
        { BuildState.Installing, false, BootConfigChoice.Installer, true, true, true, true, "Early Late Finished Failed" },
        { BuildState.Installed, false, BootConfigChoice.LocalBoot, false, false, false, false, "Booted" },
        { BuildState.Deployed, false, BootConfigChoice.LocalBoot, false, false, false, false, "" },
        { BuildState.Failed, false, BootConfigChoice.LocalBoot, false, false, false, false, "" },
        { BuildState.Idle, true, BootConfigChoice.LocalBoot, false, false, false, false, "" },
        { BuildState.Pending, true, BootConfigChoice.LocalBoot, true, false, false, false, "Early Late Finished Failed" },
        { BuildState.Booting, true, BootConfigChoice.LocalBoot, true, false, false, false, "Early Late Finished Failed" },
        { BuildState.Installing, true, BootConfigChoice.LocalBoot, true, false, false, false, "Early Late Finished Failed" },
        { BuildState.Installed, true, BootConfigChoice.LocalBoot, false, false, false, false, "Booted" },
        { BuildState.Deployed, true, BootConfigChoice.LocalBoot, false, false, false, false, "" },
        { BuildState.Failed, true, BootConfigChoice.LocalBoot, false, false, false, false, "" },
    };

    [Theory]
    [MemberData(nameof(Entitlements))]
    public void EntitlementOf_EachStateHereAndPinned(BuildState state, bool pinnedElsewhere, BootConfigChoice config, bool preseed, bool byAddress, bool proxyDhcp, bool installerLog, string callbacks)
    {
        Entitlement served = BuildLifecycle.EntitlementOf(new HostBuild(state, PinnedElsewhere: pinnedElsewhere));

        Assert.Equal((config, preseed, byAddress, proxyDhcp, installerLog), (served.Config, served.Preseed, served.PreseedByAddress, served.ProxyDhcp, served.InstallerLog));
        Assert.Equal(callbacks, string.Join(' ', Enum.GetValues<CallbackKind>().Where(served.Accepts)));
    }

    [Theory]
    [InlineData("finished")]
    [InlineData("failed")]
    [InlineData("cancel")]
    public void EndedBuild_ReplayedFailedThenEarly_NeverBackToInstallMode(string end)
    {
        var host = new HostBuild(BuildState.Installing, 90, "debian12");
        host = Step(host, Facts[end]);

        Assert.Null(BuildLifecycle.Apply(host, Facts["failed"]));
        Assert.Null(BuildLifecycle.Apply(host, Facts["early"]));
        Assert.Null(BuildLifecycle.Apply(host, Facts["preseed"]));
        Assert.Equal(BootConfigChoice.LocalBoot, BuildLifecycle.EntitlementOf(host).Config);
        // An installed host's token takes its one first-boot report, and nothing else.
        Assert.Equal(end == "finished" ? [CallbackKind.Booted] : [], BuildLifecycle.EntitlementOf(host).Callbacks);
    }

    [Fact]
    public void FullBuild_ProgressOnlyMovesForward_RepeatsAndLateStepsDoNotMoveItBack()
    {
        var host = new HostBuild(BuildState.Idle, 0, "debian12");
        var seen = new List<(string State, string? Step, int Percent)>();
        foreach (string fact in new[] { "request", "dhcp", "config", "file", "file", "preseed", "early", "step", "late", "early", "config", "finished", "booted" })
        {
            Transition transition = BuildLifecycle.Apply(host, Facts[fact])!;
            host = Step(host, Facts[fact]);
            seen.Add((transition.State.Name(), transition.Progress?.Step, host.Progress));
        }

        Assert.Equal(
        [
            ("pending", BuildProgress.Waiting, 0), ("pending", "PXE DHCP seen", 5), ("booting", "boot config served", 15),
            ("booting", "linux transferred", 20), ("booting", "linux transferred", 25), ("installing", "preseed fetched", 45),
            ("installing", "installing", 50), ("installing", "installer: partitioning (partman-base)", 62), ("installing", "finishing", 90),
            ("installing", null, 90), ("installing", null, 90), ("installed", "installed", 100), ("deployed", "deployed", 100),
        ], seen);
    }

    [Fact]
    public void Messages_SayWhatHappened()
    {
        var booting = new HostBuild(BuildState.Booting, 20, "debian12");
        Assert.Equal("build requested (debian12)", BuildLifecycle.Apply(new HostBuild(BuildState.Idle, Profile: "debian12"), Facts["request"])!.Message);
        Assert.Equal("build cancelled (none was running)", BuildLifecycle.Apply(new HostBuild(BuildState.Installed), Facts["cancel"])!.Message);
        Assert.Equal("build cancelled", BuildLifecycle.Apply(booting, Facts["cancel"])!.Message);
        Assert.Equal("boot config pxelinux.cfg/01-52-54-00-12-34-56 served to 192.0.2.10", BuildLifecycle.Apply(booting, Facts["config"])!.Message);
        Assert.Equal("installer reported failure: partman: no disk", BuildLifecycle.Apply(booting, Facts["failed"])!.Message);
        Assert.Equal("partman: no disk", BuildLifecycle.Apply(booting, Facts["failed"])!.Reason);
        Assert.Equal("installer reported failure", BuildLifecycle.Apply(booting, new CallbackReceived(CallbackKind.Failed, ""))!.Reason);
        Assert.Equal("stalled: no progress for 30 minutes while booting", BuildLifecycle.Apply(booting, Facts["stalled"])!.Reason);
        Assert.Equal("installer step partman-base", BuildLifecycle.Apply(booting, Facts["step"])!.Message);
        Assert.Equal("debian12/initrd.gz is not in the boot dir (profile debian12): the machine stopped at its boot loader", BuildLifecycle.Apply(booting, Facts["missing"])!.Reason);
        Assert.Equal("installer stopped at download-installer: waiting for an answer to retriever/net/error", BuildLifecycle.Apply(booting, Facts["stopped"])!.Reason);
        Assert.True(BuildLifecycle.Apply(booting, Facts["finished"])!.Ends(BuildState.Booting));
        var installed = new HostBuild(BuildState.Installed, 100, "debian12");
        Assert.Equal("first boot from disk reported", BuildLifecycle.Apply(installed, Facts["booted"])!.Message);
        Assert.False(BuildLifecycle.Apply(installed, Facts["booted"])!.Ends(BuildState.Installed));
        Assert.Equal("installed but did not boot from disk: no first-boot report within 30 minutes", BuildLifecycle.Apply(installed, Facts["firstboot"])!.Reason);
        Assert.Equal("deployed but did not boot from disk: no first-boot report within 30 minutes",
            BuildLifecycle.Apply(new HostBuild(BuildState.Installed, 100, "image:debian12"), Facts["firstboot"])!.Reason);
        Assert.Equal("deploy: writing the image", BuildLifecycle.Apply(booting, Facts["deploy"])!.Message);
        var deploying = new HostBuild(BuildState.Installing, 70, "image:debian12");
        Assert.Equal("deploy agent reported failure: disk /dev/vda is 512 MiB, smaller than the 919 MiB image debian12 needs",
            BuildLifecycle.Apply(deploying, new CallbackReceived(CallbackKind.Failed, "disk /dev/vda is 512 MiB, smaller than the 919 MiB image debian12 needs"))!.Message);
        Assert.Equal("image written; boots from local disk from now on: image debian12 V written to /dev/vda (BIOS)",
            BuildLifecycle.Apply(deploying, new CallbackReceived(CallbackKind.Finished, "image debian12 V written to /dev/vda (BIOS)"))!.Message);
        Assert.False(BuildLifecycle.Apply(booting, Facts["early"])!.Ends(BuildState.Booting));
    }

    /// <summary>A deploy agent's steps move the bar as the installer's do: forward only, a late one changes nothing.</summary>
    [Fact]
    public void DeploySteps_MoveProgressForwardOnly()
    {
        var host = new HostBuild(BuildState.Booting, 35, "image:debian12");
        host = Step(host, new DeployStepReported("deploy environment up (BIOS)", 45));
        host = Step(host, new DeployStepReported("writing the image", 70));
        Transition late = BuildLifecycle.Apply(host, new DeployStepReported("wiping /dev/vda", 50))!;

        Assert.Equal((BuildState.Installing, 70), (host.State, host.Progress));
        Assert.Null(late.Progress);
        Assert.Equal(new ProgressMark("deploy: writing the image", 70), BuildLifecycle.Apply(new HostBuild(BuildState.Installing, 60), new DeployStepReported("writing the image", 70))!.Progress);
    }

    private static HostBuild Step(HostBuild host, BuildFact fact)
    {
        Transition transition = BuildLifecycle.Apply(host, fact)!;
        return host with { State = transition.State, Progress = transition.Progress?.Percent ?? host.Progress };
    }
}
