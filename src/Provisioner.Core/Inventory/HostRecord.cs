namespace Provisioner.Core.Inventory;

/// <summary>A registered machine: its identity, its static network settings and its build.</summary>
public sealed class HostRecord
{
    public int Id { get; set; }

    /// <summary>Canonical <c>aa:bb:cc:dd:ee:ff</c>; unique.</summary>
    public required string Mac { get; set; }

    /// <summary>One lower-case RFC 1123 label; unique.</summary>
    public required string Hostname { get; set; }

    public string? Domain { get; set; }

    /// <summary>Dotted-quad IPv4 address; unique.</summary>
    public required string Ip { get; set; }

    public int PrefixLength { get; set; }

    public string? Gateway { get; set; }

    public List<string> Dns { get; set; } = [];

    public required string Profile { get; set; }

    /// <summary>Kernel console spec such as <c>ttyS1,115200n8</c>, or null for none.</summary>
    public string? Console { get; set; }

    public string? KernelArgs { get; set; }

    public string? Notes { get; set; }

    /// <summary>SSH public keys for this host only, installed beside the site's (<see cref="Access.SshKeys"/>): normalised lines.</summary>
    public List<string> SshKeys { get; set; } = [];

    /// <summary>The host's install settings (mirror, proxy, time zone, …): its own over its group's; what both leave null comes from the site's defaults.</summary>
    public InstallSettings Settings { get; set; } = new();

    /// <summary>The group the host is in (<see cref="HostGroup"/>), or null; <see cref="GroupName"/> is its name, changed with it.</summary>
    public int? GroupId { get; set; }

    public string? GroupName { get; set; }

    /// <summary>For a host in a group: what it sets itself (<see cref="HostOverrides"/> as JSON); the fields above hold the merged values.</summary>
    public string? Overrides { get; set; }

    /// <summary>The appliance (site, rack) this host is pinned to; null: whichever sees it boot.</summary>
    public string? Appliance { get; set; }

    public BuildState State { get; set; }

    /// <summary>Why the state is what it is, when that needs saying (a failure's message).</summary>
    public string? StateReason { get; set; }

    /// <summary>The secret in this build's preseed and callback URLs; a new one per build.</summary>
    public string? BuildToken { get; set; }

    /// <summary>What the current (or last) build is doing, in words: see <see cref="Builds.BuildProgress"/>.</summary>
    public string? Step { get; set; }

    /// <summary>The current build's rough percentage, 0–100.</summary>
    public int Progress { get; set; }

    /// <summary>
    /// Raised by one on every change. The sum over all hosts (with the row count) tells an
    /// appliance sharing the database that another one changed something.
    /// </summary>
    public long Revision { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Installed by this appliance's lifecycle and waiting for the installed system's first-boot
    /// report (<c>booted</c>); hosts installed before there was such a report never wait for one.
    /// </summary>
    public bool AwaitsFirstBoot { get; set; }

    /// <summary>The last time the build moved (state change or any timeline event); for stall detection.</summary>
    public DateTime? LastProgressAt { get; set; }

    public List<HostEvent> Events { get; set; } = [];

    public string Fqdn => Domain is null ? Hostname : $"{Hostname}.{Domain}";

    private Templates.RenderMemo? _renders;

    /// <summary>The configs and preseeds rendered for this record; only snapshots (<see cref="HostDirectory"/>'s) keep it long. Not stored.</summary>
    internal Templates.RenderMemo Renders => LazyInitializer.EnsureInitialized(ref _renders);
}
