using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds.Lifecycle;

/// <summary>What becomes of a build token when a fact is applied.</summary>
public enum TokenChange
{
    Keep,

    /// <summary>A new build: a new secret, so nothing issued for an earlier build works for this one.</summary>
    Issue,

    /// <summary>No build: no secret.</summary>
    Clear,
}

/// <summary>A build's step and percentage, as the UI and API show them.</summary>
public readonly record struct ProgressMark(string? Step, int Percent);

/// <summary>
/// A fact the lifecycle accepted: the host's new state, the timeline event to record, and what else
/// changes. A fact it refuses gives no transition at all: nothing is written.
/// </summary>
/// <param name="State">The state after the fact.</param>
/// <param name="Message">The timeline event's text.</param>
/// <param name="Reason">The host's state reason from now on: why it failed; null in every other state.</param>
/// <param name="Progress">The new step and percentage; null leaves them as they are.</param>
/// <param name="Token">What happens to the build token.</param>
public sealed record Transition(BuildState State, string Message, string? Reason = null, ProgressMark? Progress = null, TokenChange Token = TokenChange.Keep)
{
    /// <summary>The build ended with this fact (installed or failed), for alerts and metrics.</summary>
    public bool Ends(BuildState before) => State != before && State is BuildState.Installed or BuildState.Failed;
}
