namespace Provisioner.Core.Inventory;

/// <summary>One line the installer of a host's current (or last) build sent to the syslog receiver.</summary>
public sealed class InstallerLogLine
{
    public long Id { get; set; }

    public int HostId { get; set; }

    /// <summary>When it arrived (UTC): the installer's own clock is not to be trusted before NTP.</summary>
    public DateTime At { get; set; }

    /// <summary>As a log file shows it after timestamp and host: <c>main-menu[213]: INFO: …</c>.</summary>
    public required string Text { get; set; }
}
