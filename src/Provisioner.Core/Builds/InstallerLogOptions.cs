namespace Provisioner.Core.Builds;

/// <summary>Where installers send their logs (configuration key <c>Syslog:Endpoint</c>).</summary>
public sealed class InstallerLogOptions
{
    /// <summary>The syslog receiver's UDP port, passed to installers as <c>log_port</c>; null when the receiver is off. Default 514.</summary>
    public int? Port { get; set; } = 514;

    /// <summary>Lines kept per build; a runaway sender is cut off beyond this (and it is logged). Default 200,000.</summary>
    public int MaxLinesPerBuild { get; set; } = 200_000;
}
