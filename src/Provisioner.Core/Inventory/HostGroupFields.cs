namespace Provisioner.Core.Inventory;

/// <summary>A host group as people write it (API body, CLI options, the group form); <see cref="HostGroupValidator"/> checks it.</summary>
public sealed record HostGroupFields
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Domain { get; init; }

    public string? Gateway { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public string? Profile { get; init; }

    public string? Console { get; init; }

    public InstallSettings? Settings { get; init; }

    /// <summary>These fields over <paramref name="current"/>: a field left null keeps the current value (a partial update).</summary>
    public HostGroupFields Over(HostGroupFields current) => new()
    {
        Name = Name ?? current.Name,
        Description = Description ?? current.Description,
        Domain = Domain ?? current.Domain,
        Gateway = Gateway ?? current.Gateway,
        Dns = Dns ?? current.Dns,
        Profile = Profile ?? current.Profile,
        Console = Console ?? current.Console,
        Settings = Settings is null ? current.Settings : Settings.Over(current.Settings),
    };

    public static HostGroupFields From(HostGroup group) => new()
    {
        Name = group.Name, Description = group.Description, Domain = group.Domain, Gateway = group.Gateway, Dns = group.Dns,
        Profile = group.Profile, Console = group.Console, Settings = group.Settings,
    };
}
