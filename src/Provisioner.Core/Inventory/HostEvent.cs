namespace Provisioner.Core.Inventory;

/// <summary>One step of a host's timeline: when, who said so (tftp, http, callback, capture, api) and what.</summary>
public sealed class HostEvent
{
    public long Id { get; set; }

    public int HostId { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    public required string Source { get; set; }

    public required string Message { get; set; }

    /// <summary>The host's state after this event.</summary>
    public BuildState State { get; set; }

    /// <summary>The appliance that saw it (its <see cref="Hosting.ApplianceOptions.Name"/>); null for events from before names were kept.</summary>
    public string? Appliance { get; set; }

    /// <summary>Who asked, for the operator's own steps (build requested, cancelled): a user, <c>token NAME</c> or <c>NAME (cli)</c>; null for what machines did.</summary>
    public string? Actor { get; set; }
}

/// <summary>Where timeline events come from.</summary>
public static class EventSources
{
    public const string Tftp = "tftp";
    public const string Http = "http";
    public const string Callback = "callback";
    public const string Capture = "capture";
    public const string Api = "api";
    public const string Web = "web";
    public const string Watchdog = "watchdog";
    public const string Syslog = "syslog";
    public const string Power = "power";
}
