namespace Provisioner.Core.Builds;

/// <summary>Build tracking settings (configuration section <c>Builds</c>).</summary>
public sealed class BuildOptions
{
    /// <summary>
    /// A build that has shown up (booting or installing) and then makes no progress for this long
    /// fails as stalled. Default 30 minutes. A pending build waits for its machine indefinitely.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
