using Provisioner.Core.Inventory;

namespace Provisioner.Core.Templates;

/// <summary>
/// The variables templates see (see templates/README.md): <c>host</c>, <c>console</c>, <c>access</c>,
/// <c>urls</c> and <c>secrets</c>; finish scripts also <c>access.authorized_keys</c> (<see cref="ForFinish"/>). Optional values are empty strings, never missing, so strict rendering only
/// fails on real typos.
/// </summary>
public static class TemplateModel
{
    public static Dictionary<string, object?> ForHost(HostRecord host, BuildUrls urls, PreseedOptions secrets)
    {
        var ip = new Ipv4Interface(System.Net.IPAddress.Parse(host.Ip), host.PrefixLength);
        // Stored consoles were validated on the way in; an unreadable one renders as none.
        SerialConsole? console = SerialConsole.TryParse(host.Console, out SerialConsole? parsed) ? parsed : null;
        var model = ForServer(urls, secrets);
        model["host"] = new Dictionary<string, object?>
        {
            ["id"] = host.Id,
            ["mac"] = host.Mac,
            // pxelinux's IPAPPEND 2 form, for boot loaders that do not add it: d-i's netcfg picks the card by it.
            ["bootif"] = "01-" + host.Mac.Replace(':', '-'),
            ["hostname"] = host.Hostname,
            ["domain"] = host.Domain ?? string.Empty,
            ["fqdn"] = host.Fqdn,
            ["ip"] = host.Ip,
            ["prefix"] = host.PrefixLength,
            ["netmask"] = ip.Netmask.ToString(),
            ["network"] = ip.Network.ToString(),
            ["gateway"] = host.Gateway ?? string.Empty,
            ["dns"] = host.Dns.ToList(),
            ["nameservers"] = string.Join(' ', host.Dns),
            ["profile"] = host.Profile,
            ["group"] = host.GroupName ?? string.Empty,
            ["kernel_args"] = host.KernelArgs ?? string.Empty,
            ["state"] = host.State.Name(),
        };
        model["console"] = Console(console);
        InstallSettings settings = host.Settings.Over(secrets.SiteSettings);
        model["settings"] = Settings(settings);
        model["mirror"] = Mirror(settings, urls, secrets);
        model["access"] = new Dictionary<string, object?>
        {
            ["admin_user"] = secrets.AdminUser,
            ["admin_sudo_nopasswd"] = secrets.AdminSudoWithoutPassword,
        };
        return model;
    }

    /// <summary>
    /// For a host's finish script: <see cref="ForHost"/> and the SSH keys to install,
    /// <paramref name="authorizedKeys"/> (the site's, then the host's own). Only finish scripts see
    /// the keys: they are rendered at each fetch, so a key added or removed counts from the next build on.
    /// </summary>
    public static Dictionary<string, object?> ForFinish(HostRecord host, BuildUrls urls, PreseedOptions secrets, IReadOnlyList<string> authorizedKeys)
    {
        Dictionary<string, object?> model = ForHost(host, urls, secrets);
        ((Dictionary<string, object?>)model["access"]!)["authorized_keys"] = authorizedKeys.Concat(host.SshKeys).Distinct(StringComparer.Ordinal).ToList();
        return model;
    }

    /// <summary>
    /// For an image profile's boot configs (<c>image.liquid</c>): <see cref="ForHost"/> and the image
    /// version to boot live and deploy, <c>image.*</c>, its files as boot-dir paths (TFTP) and its root
    /// file system as a URL (live-boot's <c>fetch=</c>).
    /// </summary>
    public static Dictionary<string, object?> ForDeploy(HostRecord host, BuildUrls urls, PreseedOptions secrets, Images.ImageManifest image)
    {
        Dictionary<string, object?> model = ForHost(host, urls, secrets);
        string dir = $"{Boot.BootFiles.ImagePrefix}{image.Name}/{image.Version}";
        model["image"] = new Dictionary<string, object?>
        {
            ["name"] = image.Name,
            ["version"] = image.Version,
            ["kernel"] = $"{dir}/{Images.ImageManifest.KernelFile}",
            ["initrd"] = $"{dir}/{Images.ImageManifest.InitrdFile}",
            ["root_url"] = $"{urls.Boot}/{dir}/{Images.ImageManifest.RootFile}",
            ["kernel_args"] = image.KernelCommandLine,
        };
        return model;
    }

    /// <summary>For <c>pxelinux.cfg/default</c>: no host is known.</summary>
    public static Dictionary<string, object?> ForServer(BuildUrls urls, PreseedOptions secrets)
    {
        Dictionary<string, object?> all = TokenFreeUrls(urls);
        all["preseed"] = urls.Preseed;
        all["early"] = urls.Callback("early");
        all["late"] = urls.Callback("late");
        all["finished"] = urls.Callback("finished");
        all["failed"] = urls.Callback("failed");
        all["booted"] = urls.Callback("booted");
        all["finish"] = urls.Callback("finish");
        all["deploy"] = urls.Deploy;
        return new() { ["urls"] = all, ["secrets"] = Secrets(secrets) };
    }

    /// <summary>
    /// What every host's render sees alike, for <see cref="TemplateStore.RenderSharedAsync"/>: no
    /// <c>host</c> or <c>console</c>, and only the URLs without the build's token.
    /// </summary>
    public static Dictionary<string, object?> Shared(BuildUrls urls, PreseedOptions secrets) =>
        new() { ["urls"] = TokenFreeUrls(urls), ["secrets"] = Secrets(secrets) };

    private static Dictionary<string, object?> TokenFreeUrls(BuildUrls urls) => new()
    {
        ["base"] = urls.Base,
        ["boot"] = urls.Boot,
        ["log_host"] = urls.LogHost,
        ["log_port"] = urls.LogPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static Dictionary<string, object?> Secrets(PreseedOptions secrets) => new()
    {
        ["root_password_hash"] = secrets.RootPasswordHash,
        ["admin_password_hash"] = secrets.AdminPasswordHash,
    };

    private static Dictionary<string, object?> Settings(InstallSettings settings)
    {
        Uri? mirror = settings.Mirror is { } url ? new Uri(url) : null;
        string keyboard = settings.Keyboard ?? string.Empty;
        int variant = keyboard.IndexOf('(', StringComparison.Ordinal);
        return new()
        {
            ["mirror"] = settings.Mirror ?? string.Empty,
            ["mirror_protocol"] = mirror?.Scheme ?? string.Empty,
            ["mirror_host"] = mirror?.Authority ?? string.Empty,
            ["mirror_directory"] = mirror is null ? string.Empty : Directory(mirror),
            ["proxy"] = settings.Proxy is null or InstallSettings.None ? string.Empty : settings.Proxy,
            ["time_zone"] = settings.TimeZone ?? string.Empty,
            ["locale"] = settings.Locale ?? string.Empty,
            ["keyboard"] = keyboard,
            // Kernel lines take the layout alone: "fr(latin9)" has characters a boot loader's parser may not pass on.
            ["keyboard_layout"] = variant < 0 ? keyboard : keyboard[..variant],
            ["disk"] = settings.Disk ?? string.Empty,
            ["packages"] = settings.Packages is null or InstallSettings.None ? new List<string>() : [.. settings.Packages.Split(' ')],
            ["wipe_disks"] = settings.WipeDisks ?? false,
        };
    }

    /// <summary>
    /// Where the installer and the installed system take packages from: the <c>Mirror</c> install setting
    /// when one applies (security updates then as the installer defaults), else the appliance's own mirror
    /// at the address the host reached it on, for the archive and for security updates.
    /// </summary>
    private static Dictionary<string, object?> Mirror(InstallSettings settings, BuildUrls urls, PreseedOptions site)
    {
        bool own = settings.Mirror is null;
        (Uri archive, Uri? security) = MirrorOf(settings, urls, site);
        return new()
        {
            ["own"] = own,
            ["url"] = archive.AbsoluteUri.TrimEnd('/'),
            ["protocol"] = archive.Scheme,
            ["host"] = archive.Authority,
            ["directory"] = Directory(archive),
            ["security_url"] = security?.AbsoluteUri.TrimEnd('/') ?? string.Empty,
            ["security_host"] = security?.Authority ?? string.Empty,
            ["security_directory"] = security is null ? string.Empty : Directory(security),
        };
    }

    /// <summary>The archive packages come from and, when it is the appliance's own mirror, the security archive beside it (see <c>mirror.*</c>).</summary>
    public static (Uri Archive, Uri? Security) MirrorOf(InstallSettings settings, BuildUrls urls, PreseedOptions site) =>
        settings.Mirror is { } elsewhere
            ? (new Uri(elsewhere), null)
            : (new Uri($"{urls.Base}/mirror/{site.MirrorArchive}"), new Uri($"{urls.Base}/mirror/{site.SecurityArchive}"));

    private static string Directory(Uri uri) => uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : uri.AbsolutePath;

    private static Dictionary<string, object?> Console(SerialConsole? console) => new()
    {
        ["enabled"] = console is not null,
        ["spec"] = console?.ToString() ?? string.Empty,
        ["device"] = console?.Device ?? string.Empty,
        ["unit"] = console?.Unit ?? 0,
        ["speed"] = console?.Speed ?? 0,
        // The installer's and the installed kernel's console= arguments: VGA first, serial last (the
        // last console= gets /dev/console, so d-i runs its interface on serial).
        ["kernel_args"] = console is null ? string.Empty : $"console=tty0 console={console}",
    };
}
