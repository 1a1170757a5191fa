namespace Provisioner.Core.Alerts;

/// <summary>Where build alerts go (configuration section <c>Alerts</c>). With neither webhooks nor a command, alerts only show on the dashboard.</summary>
public sealed class AlertOptions
{
    /// <summary>URLs that each get a JSON POST per alert. Default none.</summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>A shell command (<c>/bin/sh -c</c>) run per alert with the JSON on its standard input. Default none.</summary>
    public string? Command { get; set; }

    /// <summary>Also alert when a build finishes successfully. Default false: only failures and stalls.</summary>
    public bool NotifyInstalled { get; set; }

    /// <summary>Tries per webhook before it is given up (and logged). Default 5.</summary>
    public int Attempts { get; set; } = 5;

    /// <summary>How long one try (webhook request or command) may take. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the second try; each later wait doubles. Default 2 s (so 2, 4, 8, 16 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Installer log lines included in the alert. Default 20.</summary>
    public int LogLines { get; set; } = 20;
}
