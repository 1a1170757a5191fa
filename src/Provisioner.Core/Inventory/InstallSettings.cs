namespace Provisioner.Core.Inventory;

/// <summary>
/// What the installer sets up besides the network: the preseed's choices that differ between sites
/// and machines. A value left null is not set at this level and comes from the next one: the host's,
/// then (when there are groups) its group's, then the site's (<c>Preseed:Defaults</c>, see
/// <see cref="Templates.PreseedOptions.Defaults"/>). <see cref="InstallSettingsCheck"/> checks and
/// normalises them; templates see the merged values as <c>settings.*</c>.
/// </summary>
public sealed record InstallSettings
{
    /// <summary>The package mirror as a URL, <c>http://mirror.example.org/debian</c>; null: the profile's own (deb.debian.org, archive.ubuntu.com).</summary>
    public string? Mirror { get; init; }

    /// <summary>The HTTP proxy the installer and the installed system use, <c>http://proxy.example.org:3128/</c>, or <see cref="None"/>.</summary>
    public string? Proxy { get; init; }

    /// <summary>A tz database name, <c>Europe/Berlin</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>en_US.UTF-8</c>.</summary>
    public string? Locale { get; init; }

    /// <summary>An X keymap as d-i names them, <c>us</c>, <c>de</c>, <c>fr(latin9)</c>.</summary>
    public string? Keyboard { get; init; }

    /// <summary>The disk to install on, <c>/dev/sda</c>, <c>/dev/nvme0n1</c>; unset everywhere: the first disk the installer lists.</summary>
    public string? Disk { get; init; }

    /// <summary>Packages to install besides the profile's, separated by spaces, or <see cref="None"/>.</summary>
    public string? Packages { get; init; }

    /// <summary>Remove old LVM volume groups and RAID arrays on the disk without asking, so a used server re-installs unattended.</summary>
    public bool? WipeDisks { get; init; }

    /// <summary>Written as a proxy or the packages: explicitly none, where a group or the site has some.</summary>
    public const string None = "none";

    /// <summary>The built-in site defaults, under any the site sets.</summary>
    public static readonly InstallSettings BuiltIn = new() { TimeZone = "Etc/UTC", Locale = "en_US.UTF-8", Keyboard = "us", WipeDisks = true };

    /// <summary>Blank values as null: a blank setting is one not set at this level.</summary>
    public InstallSettings WithoutBlanks() => new()
    {
        Mirror = Value(Mirror), Proxy = Value(Proxy), TimeZone = Value(TimeZone), Locale = Value(Locale),
        Keyboard = Value(Keyboard), Disk = Value(Disk), Packages = Value(Packages), WipeDisks = WipeDisks,
    };

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>These settings over <paramref name="fallback"/>: each one left null takes the fallback's.</summary>
    public InstallSettings Over(InstallSettings? fallback) => fallback is null ? this : new()
    {
        Mirror = Mirror ?? fallback.Mirror,
        Proxy = Proxy ?? fallback.Proxy,
        TimeZone = TimeZone ?? fallback.TimeZone,
        Locale = Locale ?? fallback.Locale,
        Keyboard = Keyboard ?? fallback.Keyboard,
        Disk = Disk ?? fallback.Disk,
        Packages = Packages ?? fallback.Packages,
        WipeDisks = WipeDisks ?? fallback.WipeDisks,
    };
}
