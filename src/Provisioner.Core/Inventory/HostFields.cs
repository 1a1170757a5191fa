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

    /// <summary>The host's own install settings; a setting left null comes from the group, then the site's defaults (in a partial update: stays as it was).</summary>
    public InstallSettings? Settings { get; init; }

    /// <summary>The name of the host's group (<see cref="HostGroup"/>); empty: none. Fields left empty are taken from it; <c>none</c> says "none here".</summary>
    public string? Group { get; init; }

    /// <summary>
    /// These fields with what they leave to <paramref name="group"/> taken from it and <c>none</c> as
    /// no value: what the host's record holds, to be validated like any host's fields.
    /// </summary>
    public HostFields Inherit(HostGroup group) => this with
    {
        Domain = Pick(Domain, group.Domain),
        Gateway = Pick(Gateway, group.Gateway),
        Dns = HostOverrides.IsNone(Dns) ? [] : Dns is { Count: > 0 } ? Dns : group.Dns,
        Profile = string.IsNullOrWhiteSpace(Profile) ? group.Profile : Profile,
        Console = Pick(Console, group.Console),
        Settings = (Settings ?? new()).WithoutBlanks().Over(group.Settings),
    };

    /// <summary>The fields (JSON names) whose value comes from <paramref name="group"/> because these leave them empty.</summary>
    public IEnumerable<string> InheritedFrom(HostGroup group)
    {
        if (Blank(Domain) && group.Domain is not null) yield return "domain";
        if (Blank(Gateway) && group.Gateway is not null) yield return "gateway";
        if (Dns is not { Count: > 0 } && group.Dns.Count > 0) yield return "dns";
        if (Blank(Profile) && group.Profile is not null) yield return "profile";
        if (Blank(Console) && group.Console is not null) yield return "console";
        InstallSettings own = (Settings ?? new()).WithoutBlanks();
        (string Name, bool Own, bool Group)[] settings =
        [
            ("mirror", own.Mirror is not null, group.Settings.Mirror is not null), ("proxy", own.Proxy is not null, group.Settings.Proxy is not null),
            ("timeZone", own.TimeZone is not null, group.Settings.TimeZone is not null), ("locale", own.Locale is not null, group.Settings.Locale is not null),
            ("keyboard", own.Keyboard is not null, group.Settings.Keyboard is not null), ("disk", own.Disk is not null, group.Settings.Disk is not null),
            ("packages", own.Packages is not null, group.Settings.Packages is not null), ("wipeDisks", own.WipeDisks is not null, group.Settings.WipeDisks is not null),
        ];
        foreach ((string name, bool ownValue, bool groupValue) in settings)
        {
            if (!ownValue && groupValue) yield return HostValidator.SettingsPrefix + name;
        }
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static string? Pick(string? own, string? group) => Blank(own) ? group : HostOverrides.IsNone(own) ? null : own;

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
        Group = Group ?? defaults.Group,
    };

    /// <summary>A host's fields as given: for a host in a group, its own values (<see cref="HostOverrides"/>), not the merged ones.</summary>
    public static HostFields From(HostRecord host)
    {
        HostFields stored = Stored(host);
        if (host.GroupName is null)
        {
            return stored;
        }
        HostOverrides own = HostOverrides.FromJson(host.Overrides);
        return stored with { Group = host.GroupName, Domain = own.Domain, Gateway = own.Gateway, Dns = own.Dns, Profile = own.Profile, Console = own.Console, Settings = own.Settings };
    }

    private static HostFields Stored(HostRecord host) => new()
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
