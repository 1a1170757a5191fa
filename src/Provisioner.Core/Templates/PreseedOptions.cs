using System.Text.RegularExpressions;

namespace Provisioner.Core.Templates;

/// <summary>Site-wide values for what the installer sets up (configuration section <c>Preseed</c>).</summary>
public sealed partial class PreseedOptions
{
    /// <summary>
    /// crypt(3) hash for the installed system's root account (<c>mkpasswd -m sha-512</c>), as
    /// <c>secrets.root_password_hash</c>. Default <c>!</c>: root cannot log in with a password.
    /// </summary>
    public string RootPasswordHash { get; set; } = "!";

    /// <summary>
    /// An account the installer creates besides root, with the site's and the host's SSH keys and in
    /// the <c>sudo</c> group (<c>access.admin_user</c>). Empty (the default): none. A Debian user name:
    /// lower-case letters, digits, <c>_</c> and <c>-</c>, at most 32, not starting with a digit or <c>-</c>.
    /// </summary>
    public string AdminUser { get; set; } = string.Empty;

    /// <summary>The admin user may use sudo without a password (<c>access.admin_sudo_nopasswd</c>). Default false: sudo asks for its password.</summary>
    public bool AdminSudoWithoutPassword { get; set; }

    /// <summary>crypt(3) hash of the admin user's password (<c>secrets.admin_password_hash</c>). Default <c>!</c>: none, keys only.</summary>
    public string AdminPasswordHash { get; set; } = "!";

    /// <summary>
    /// The site's install settings (<c>Preseed:Defaults:Mirror</c>, <c>…:Proxy</c>, <c>…:TimeZone</c>,
    /// <c>…:Locale</c>, <c>…:Keyboard</c>, <c>…:Disk</c>, <c>…:Packages</c>, <c>…:WipeDisks</c>) for every
    /// host that does not set its own. Unset here: <see cref="InstallSettings.BuiltIn"/> (Etc/UTC,
    /// en_US.UTF-8, us, wipe old LVM and RAID), the profile's own mirror, no proxy, the first disk, no extra packages.
    /// </summary>
    public Inventory.InstallSettings Defaults { get; set; } = new();

    /// <summary>
    /// The appliance's mirror archive (<c>/mirror/NAME</c>) that installers use when no <c>Mirror</c>
    /// install setting names another (<c>mirror.directory</c>). Default <c>debian</c>, the name the mirror
    /// gives an apt source ending in <c>/debian</c>.
    /// </summary>
    public string MirrorArchive { get; set; } = "debian";

    /// <summary>The appliance's mirror archive for security updates in that case (<c>mirror.security_directory</c>). Default <c>debian-security</c>.</summary>
    public string SecurityArchive { get; set; } = "debian-security";

    /// <summary>The site's settings over the built-in ones, normalised; what a host that sets nothing gets.</summary>
    /// <remarks>Worked out once, at the first render (options are bound by then); checked at start (<see cref="Inventory.InstallSettingsCheck.Problems"/>).</remarks>
    public Inventory.InstallSettings SiteSettings => _siteSettings ??= Inventory.InstallSettingsCheck.Normalise(Defaults, []).Over(Inventory.InstallSettings.BuiltIn);

    private Inventory.InstallSettings? _siteSettings;

    /// <summary>Why <paramref name="value"/> cannot be the admin user's name, or null.</summary>
    public static string? CheckUserName(string key, string? value) =>
        string.IsNullOrEmpty(value) ? null
        : value == "root" ? $"{key} is 'root': root gets the keys anyway; name another account or leave it empty"
        : UserName().IsMatch(value) ? null
        : $"{key} is '{value}': it must be a user name like ops (lower-case letters, digits, _ and -, at most 32, not starting with a digit or -)";

    /// <summary>Why <paramref name="value"/> cannot be a password hash in an installed system, or null.</summary>
    public static string? CheckPasswordHash(string key, string? value) =>
        value is "!" or "*" || (value is not null && CryptHash().IsMatch(value)) ? null
        : $"{key} is not a crypt(3) hash like $6$salt$hash (mkpasswd -m sha-512), or ! for no password";

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^\$[0-9a-z]+\$[A-Za-z0-9./$=,+-]{1,200}$")]
    private static partial Regex CryptHash();
}
