namespace Provisioner.Core.Inventory;

/// <summary>
/// A host as people write it: the JSON body of the API, one line of an import, the CLI's options.
/// Nothing here is checked yet; <see cref="HostValidator"/> turns it into a <see cref="HostRecord"/>.
/// </summary>
public sealed record HostFields
{
    public string? Mac { get; init; }

    public string? Hostname { get; init; }

    public string? Domain { get; init; }

    /// <summary><c>192.0.2.10/24</c>.</summary>
    public string? Ip { get; init; }

    public string? Gateway { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public string? Profile { get; init; }

    public string? Console { get; init; }

    public string? KernelArgs { get; init; }

    public string? Notes { get; init; }

    /// <summary>OpenSSH public key lines for this host only, one per entry.</summary>
    public IReadOnlyList<string>? SshKeys { get; init; }

    /// <summary>The appliance the host is pinned to; empty or null: none.</summary>
    public string? Appliance { get; init; }

    /// <summary>The host's own install settings; a setting left null comes from the site's defaults (in a partial update: stays as it was).</summary>
    public InstallSettings? Settings { get; init; }

    /// <summary>These fields over <paramref name="defaults"/>: a field left null takes the default's value.</summary>
    public HostFields Over(HostFields defaults) => new()
    {
        Mac = Mac ?? defaults.Mac,
        Hostname = Hostname ?? defaults.Hostname,
        Domain = Domain ?? defaults.Domain,
        Ip = Ip ?? defaults.Ip,
        Gateway = Gateway ?? defaults.Gateway,
        Dns = Dns ?? defaults.Dns,
        Profile = Profile ?? defaults.Profile,
        Console = Console ?? defaults.Console,
        KernelArgs = KernelArgs ?? defaults.KernelArgs,
        Notes = Notes ?? defaults.Notes,
        SshKeys = SshKeys ?? defaults.SshKeys,
        Appliance = Appliance ?? defaults.Appliance,
        Settings = Settings is null ? defaults.Settings : Settings.Over(defaults.Settings),
    };

    public static HostFields From(HostRecord host) => new()
    {
        Mac = host.Mac,
        Hostname = host.Hostname,
        Domain = host.Domain,
        Ip = $"{host.Ip}/{host.PrefixLength}",
        Gateway = host.Gateway,
        Dns = host.Dns,
        Profile = host.Profile,
        Console = host.Console,
        KernelArgs = host.KernelArgs,
        Notes = host.Notes,
        SshKeys = host.SshKeys,
        Appliance = host.Appliance,
        Settings = host.Settings,
    };
}

/// <summary>A problem with one field of a host, named as in the JSON.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
