namespace Provisioner.Core.Builds;

/// <summary>Build tracking settings (configuration section <c>Builds</c>).</summary>
public sealed class BuildOptions
{
    /// <summary>
    /// A build that has shown up (booting or installing) and then makes no progress for this long
    /// fails as stalled. Default 30 minutes. A pending build waits for its machine indefinitely.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An installed host whose system does not report its first boot from disk (the <c>booted</c>
    /// callback the shipped templates' first-boot unit makes) within this time of the install fails
    /// with "installed but did not boot from disk". Default 30 minutes; zero turns the check off (for
    /// templates that leave no first-boot report).
    /// </summary>
    public TimeSpan FirstBootTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
