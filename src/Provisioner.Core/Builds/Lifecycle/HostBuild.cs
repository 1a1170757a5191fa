using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds.Lifecycle;

/// <summary>What the lifecycle knows of a host: where its build stands, and whether this appliance builds it.</summary>
/// <param name="State">The stored build state.</param>
/// <param name="Progress">The build's percentage so far (a late or repeated step never moves it back).</param>
/// <param name="Profile">The profile a build installs, for the timeline's words.</param>
/// <param name="PinnedElsewhere">The host is pinned to another appliance: this one boots it from disk and records nothing of its traffic.</param>
/// <param name="Reason">The stored state reason (a failure's), kept by facts that change no state.</param>
public readonly record struct HostBuild(BuildState State, int Progress = 0, string Profile = "", bool PinnedElsewhere = false, string? Reason = null)
{
    public static HostBuild Of(HostRecord host, Hosting.ApplianceIdentity? appliance) =>
        new(host.State, host.Progress, host.Profile, PinnedElsewhere: appliance is not null && !appliance.Builds(host), Reason: host.StateReason);
}
