using System.Globalization;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds.Lifecycle;

/// <summary>
/// The one place that decides what a build fact means and what a host may be served. Pure: a state
/// and a fact in, a <see cref="Transition"/> (or none) out; no clock, no database, no network.
/// </summary>
/// <remarks>
/// <para>idle/installed/failed → pending (build requested, new token) → booting (its installer config
/// went out) → installing (preseed served, an installer step or callback, a deploy agent's step) → installed (<c>finished</c>)
/// or failed (<c>failed</c>, the installer's log shows it stopped, its kernel or initrd is not in the boot dir, or stalled); installed → deployed
/// (<c>booted</c>: the installed system's first boot from its disk reported) or failed (no report
/// within the first-boot timeout). Cancel → idle from anywhere, token gone.</para>
/// <para>A token ends with its build: once installed, failed or cancelled, its preseed and callbacks
/// are refused (an installed host's token takes one <c>booted</c> report, nothing else), so a replayed <c>failed</c> then <c>early</c> cannot put an installed host back into
/// install mode (its next PXE boot would run the installer, which wipes the disk).</para>
/// <para>Pinned to another appliance: what this appliance knows only by MAC or address (DHCP, boot
/// configs, files, syslog) is not its build: local boot, ProxyDHCP silent, nothing recorded. What
/// comes with the build's token (preseed, callbacks) is the build's wherever it arrives.</para>
/// </remarks>
public static class BuildLifecycle
{
    private static readonly IReadOnlySet<CallbackKind> None = new HashSet<CallbackKind>();
    private static readonly IReadOnlySet<CallbackKind> WhileBuilding = new HashSet<CallbackKind> { CallbackKind.Early, CallbackKind.Late, CallbackKind.Finished, CallbackKind.Failed };
    private static readonly IReadOnlySet<CallbackKind> FirstBoot = new HashSet<CallbackKind> { CallbackKind.Booted };

    private static readonly Entitlement NotBuilding = new(BootConfigChoice.LocalBoot, Preseed: false, PreseedByAddress: false, ProxyDhcp: false, InstallerLog: false, None);
    private static readonly Entitlement BuildingHere = new(BootConfigChoice.Installer, Preseed: true, PreseedByAddress: true, ProxyDhcp: true, InstallerLog: true, WhileBuilding);
    private static readonly Entitlement BuildingElsewhere = new(BootConfigChoice.LocalBoot, Preseed: true, PreseedByAddress: false, ProxyDhcp: false, InstallerLog: false, WhileBuilding);
    private static readonly Entitlement AwaitingFirstBoot = NotBuilding with { Callbacks = FirstBoot };

    /// <summary>What the host may be served in its state.</summary>
    public static Entitlement EntitlementOf(HostBuild host) =>
        host.State == BuildState.Installed ? AwaitingFirstBoot
        : !host.State.IsBuilding() ? NotBuilding
        : host.PinnedElsewhere ? BuildingElsewhere
        : BuildingHere;

    /// <summary>How the timeline's step for a build request begins (then the profile): where a build starts, for <see cref="BuildStages"/>.</summary>
    public const string RequestedMessage = "build requested";

    /// <summary>How the timeline's step for a cancel begins.</summary>
    public const string CancelledMessage = "build cancelled";

    /// <summary>What <paramref name="fact"/> does to <paramref name="host"/>; null when it changes nothing and records nothing.</summary>
    public static Transition? Apply(HostBuild host, BuildFact fact)
    {
        BuildState state = host.State;
        bool building = state.IsBuilding();
        bool mine = building && !host.PinnedElsewhere;
        return fact switch
        {
            BuildRequested => new(BuildState.Pending, $"{RequestedMessage} ({host.Profile})", Progress: new(BuildProgress.Waiting, 0), Token: TokenChange.Issue),
            BuildCancelled => new(BuildState.Idle, building ? CancelledMessage : $"{CancelledMessage} (none was running)", Progress: new(null, 0), Token: TokenChange.Clear),
            PxeDhcpSeen dhcp when mine =>
                new(state, $"PXE DHCP seen, arch {dhcp.Architecture}", Progress: Advance(host, "PXE DHCP seen", BuildProgress.DhcpSeen)),
            ConfigTransferred config when mine =>
                new(state == BuildState.Pending ? BuildState.Booting : state, $"boot config {config.Name} served to {config.Peer}",
                    Progress: Advance(host, "boot config served", BuildProgress.ConfigServed)),
            FileTransferred file when mine =>
                new(state, file.Message, Progress: file.Completed ? FileProgress(host, file.Path) : null),
            KernelOrInitrdMissing missing when mine => BootFileMissing(host, missing.Path),
            PreseedServed preseed when EntitlementOf(host).Preseed =>
                new(BuildState.Installing, $"preseed fetched by {preseed.Peer}", Progress: Advance(host, "preseed fetched", BuildProgress.PreseedFetched)),
            InstallerStepSeen step when mine => InstallerStep(host, step.Item),
            InstallerStopped stopped when mine => new(BuildState.Failed, stopped.Reason, Reason: stopped.Reason),
            CallbackReceived callback when EntitlementOf(host).Accepts(callback.Kind) => Callback(host, callback),
            // A deploy agent reports with the build's token, as an installer's early_command does.
            DeployStepReported step when EntitlementOf(host).Accepts(CallbackKind.Early) =>
                new(BuildState.Installing, $"deploy: {step.Step}", Progress: Advance(host, $"deploy: {step.Step}", step.Percent)),
            BuildStalled stalled when state is BuildState.Booting or BuildState.Installing => Stalled(state, stalled.Timeout),
            FirstBootMissed missed when state == BuildState.Installed => FirstBootFailed(host, missed.Timeout),
            // Whatever the build's state: the timeline says what the BMC was asked; the state (and a failure's reason) stand.
            PowerStepTaken power => new(state, $"power: {power.Message}", Reason: host.Reason),
            _ => null,
        };
    }

    private static Transition InstallerStep(HostBuild host, string item)
    {
        (string name, int? percent) = InstallerSteps.Describe(item);
        BuildState next = host.State is BuildState.Pending or BuildState.Booting ? BuildState.Installing : host.State;
        return new(next, $"installer step {item}", Progress: Advance(host, name, percent ?? host.Progress));
    }

    private static Transition Callback(HostBuild host, CallbackReceived callback)
    {
        string said = callback.Message;
        string Say(string text) => said.Length > 0 ? $"{text}: {said}" : text;
        bool image = Deploy.ImageProfiles.IsImage(host.Profile);
        string failure = image ? "deploy agent reported failure" : "installer reported failure";
        return callback.Kind switch
        {
            CallbackKind.Early => new(BuildState.Installing, Say("installer started (early_command)"),
                Progress: Advance(host, "installing", BuildProgress.InstallerStarted)),
            CallbackKind.Late => new(BuildState.Installing, Say("installer finishing (late_command)"),
                Progress: Advance(host, "finishing", BuildProgress.InstallerFinishing)),
            CallbackKind.Finished => new(BuildState.Installed, Say(image ? "image written; boots from local disk from now on" : "installed; boots from local disk from now on"),
                Progress: Advance(host, image ? "image written" : "installed", BuildProgress.Done)),
            CallbackKind.Booted => new(BuildState.Deployed, Say("first boot from disk reported"), Progress: new("deployed", BuildProgress.Done)),
            _ => new(BuildState.Failed, Say(failure), Reason: said.Length > 0 ? said : failure),
        };
    }

    /// <summary>
    /// The boot loader cannot go on without it (pxelinux and GRUB show an error and wait, iPXE gives up):
    /// the build fails at once, saying which file the profile lacks, rather than at the stall timeout.
    /// </summary>
    private static Transition BootFileMissing(HostBuild host, string path)
    {
        string reason = $"{path} is not in the boot dir (profile {host.Profile}): the machine stopped at its boot loader";
        return new(BuildState.Failed, reason, Reason: reason);
    }

    private static Transition FirstBootFailed(HostBuild host, TimeSpan timeout)
    {
        string done = Deploy.ImageProfiles.IsImage(host.Profile) ? "deployed" : "installed";
        string reason = $"{done} but did not boot from disk: no first-boot report within {Duration(timeout)}";
        return new(BuildState.Failed, reason, Reason: reason);
    }

    private static Transition Stalled(BuildState state, TimeSpan timeout)
    {
        string reason = $"stalled: no progress for {Duration(timeout)} while {state.Name()}";
        return new(BuildState.Failed, reason, Reason: reason);
    }

    /// <summary>Moves to <paramref name="step"/> unless the build is already past it (a late retransmission, a repeated fetch).</summary>
    private static ProgressMark? Advance(HostBuild host, string step, int percent) =>
        percent >= host.Progress ? new ProgressMark(step, percent) : null;

    /// <summary>
    /// Files before the boot config are the boot loader's (pxelinux.0, ldlinux.c32); after it, each
    /// installer file (kernel, initrd) moves the bar a little, up to the preseed.
    /// </summary>
    private static ProgressMark? FileProgress(HostBuild host, string path)
    {
        int percent = host.Progress < BuildProgress.ConfigServed ? BuildProgress.BootLoaderTransferred
            : host.Progress < BuildProgress.FirstFileTransferred ? BuildProgress.FirstFileTransferred
            : Math.Min(host.Progress + 5, BuildProgress.LastFileTransferred);
        return Advance(host, $"{Path.GetFileName(path)} transferred", percent);
    }

    private static string Duration(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} minutes")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} seconds");
}
