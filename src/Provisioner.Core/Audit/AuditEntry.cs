namespace Provisioner.Core.Audit;

/// <summary>One change or build request: when, who (<see cref="Actor"/>), what (<see cref="AuditActions"/>) to which target.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    public required string Actor { get; set; }

    /// <summary><c>web</c>, <c>api</c>, <c>cli</c> or <c>system</c>.</summary>
    public required string Via { get; set; }

    public required string Action { get; set; }

    /// <summary>What it was done to, by name (hostname, group, user, token or key name); the name at the time.</summary>
    public required string Target { get; set; }

    /// <summary>The host it concerns, for the host's timeline; kept after the host is removed (no foreign key).</summary>
    public int? HostId { get; set; }

    /// <summary>What changed (<c>ip: 192.0.2.10/24 → 192.0.2.11/24</c>), or null.</summary>
    public string? Detail { get; set; }

    public const int MaxTargetLength = 256;
    public const int MaxDetailLength = 1024;

    /// <summary>The actor as people read it (see <see cref="Audit.Actor.Display"/>).</summary>
    public string ActorDisplay => new Actor(Actor, Via).Display;
}

/// <summary>What an <see cref="AuditEntry"/> records. Stable names: API clients filter on them.</summary>
public static class AuditActions
{
    public const string HostAdded = "host.add";
    public const string HostChanged = "host.edit";
    public const string HostRemoved = "host.remove";
    public const string HostsImported = "hosts.import";
    public const string BuildRequested = "build.request";
    public const string BuildCancelled = "build.cancel";
    public const string GroupAdded = "group.add";
    public const string GroupChanged = "group.edit";
    public const string GroupRemoved = "group.remove";
    public const string UserAdded = "user.add";
    public const string UserRemoved = "user.remove";
    public const string UserRole = "user.role";
    public const string UserPassword = "user.password";
    public const string TokenCreated = "token.create";
    public const string TokenRevoked = "token.revoke";
    public const string KeyAdded = "key.add";
    public const string KeyRemoved = "key.remove";
    public const string ImageBuild = "image.build";
    public const string MirrorPurged = "mirror.purge";
    public const string BmcSet = "bmc.set";
    public const string BmcRemoved = "bmc.remove";
    public const string PowerRequested = "power.request";

    public static readonly IReadOnlyList<string> All =
        [HostAdded, HostChanged, HostRemoved, HostsImported, BuildRequested, BuildCancelled, GroupAdded, GroupChanged, GroupRemoved,
         UserAdded, UserRemoved, UserRole, UserPassword, TokenCreated, TokenRevoked, KeyAdded, KeyRemoved, ImageBuild, MirrorPurged, BmcSet, BmcRemoved, PowerRequested];

    /// <summary>What the actions are done to (<c>host</c>, <c>build</c>, …): a filter on a kind takes every action of it.</summary>
    public static readonly IReadOnlyList<string> Kinds = [.. All.Select(a => a[..a.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="value"/> is an action or a kind (any case).</summary>
    public static bool IsActionOrKind(string value) =>
        All.Contains(value.ToLowerInvariant(), StringComparer.Ordinal) || Kinds.Contains(value.ToLowerInvariant(), StringComparer.Ordinal);
}
