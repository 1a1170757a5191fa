using System.Text.RegularExpressions;

namespace Provisioner.Core.Inventory;

/// <summary>
/// Checks <see cref="InstallSettings"/> as people write them and returns them normalised. Every value
/// ends up in a preseed line or on a kernel command line, where a space or a newline would start
/// another argument or another answer, so each is held to the shape the installer expects.
/// </summary>
public static partial class InstallSettingsCheck
{
    public const int MaxPackages = 100;
    public const int MaxUrlLength = 512;
    public const int MaxPackagesLength = 4096;

    /// <summary>The JSON names of the settings, as import, export, the API and errors name them.</summary>
    public static readonly string[] FieldNames = ["mirror", "proxy", "timeZone", "locale", "keyboard", "disk", "packages", "wipeDisks"];

    private const string ZoneInfo = "/usr/share/zoneinfo";

    /// <summary>The settings normalised; problems go to <paramref name="errors"/>, each naming its setting after <paramref name="prefix"/>.</summary>
    public static InstallSettings Normalise(InstallSettings given, List<FieldError> errors, string prefix = "")
    {
        var found = new List<FieldError>();
        InstallSettings settings = Check(given, found);
        errors.AddRange(found.Select(e => e with { Field = prefix + e.Field }));
        return settings;
    }

    private static InstallSettings Check(InstallSettings given, List<FieldError> errors) => new()
    {
        Mirror = Url("mirror", given.Mirror, allowNone: false, "http://mirror.example.org/debian", errors),
        Proxy = Url("proxy", given.Proxy, allowNone: true, "http://proxy.example.org:3128/", errors),
        TimeZone = Match("timeZone", given.TimeZone, TimeZoneName(), "a tz database name like Europe/Berlin or Etc/UTC", errors) is { } zone ? KnownZone(zone, errors) : null,
        Locale = Match("locale", given.Locale, LocaleName(), "a locale like en_US.UTF-8", errors),
        Keyboard = Match("keyboard", given.Keyboard, KeymapName(), "an X keymap like us, de or fr(latin9)", errors),
        Disk = Disk(given.Disk, errors),
        Packages = Packages(given.Packages, errors),
        WipeDisks = given.WipeDisks,
    };

    /// <summary>Each problem of <paramref name="settings"/> (the site's defaults), naming the setting under <paramref name="section"/>.</summary>
    public static IEnumerable<string> Problems(string section, InstallSettings settings)
    {
        var errors = new List<FieldError>();
        Normalise(settings, errors);
        return errors.Select(e => $"{section}:{char.ToUpperInvariant(e.Field[0])}{e.Field[1..]}: {e.Message}");
    }

    private static string? Url(string field, string? value, bool allowNone, string example, List<FieldError> errors)
    {
        string? text = Blank(value);
        if (text is null || (allowNone && text.Equals(InstallSettings.None, StringComparison.OrdinalIgnoreCase)))
        {
            return text?.ToLowerInvariant();
        }
        // The installer splits a mirror into host and directory, and both go into preseed lines: no
        // query, fragment or spaces, and a path of plain characters.
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || !UrlPath().IsMatch(uri.AbsolutePath) || text.Any(char.IsWhiteSpace)
            || (!allowNone && uri.UserInfo.Length > 0))
        {
            errors.Add(new(field, $"'{text}' is not a URL like {example}{(allowNone ? " (or none)" : string.Empty)}"));
            return null;
        }
        string url = uri.GetLeftPart(UriPartial.Path);
        if (url.Length > MaxUrlLength)
        {
            errors.Add(new(field, $"longer than {MaxUrlLength} characters"));
            return null;
        }
        return url;
    }

    private static string? Match(string field, string? value, Regex shape, string expected, List<FieldError> errors)
    {
        string? text = Blank(value);
        if (text is not null && !shape.IsMatch(text))
        {
            errors.Add(new(field, $"'{text}' is not {expected}"));
            return null;
        }
        return text;
    }

    /// <summary>Where the machine has the tz database (Debian's tzdata), the zone must be in it: the installer would otherwise ask.</summary>
    private static string? KnownZone(string zone, List<FieldError> errors)
    {
        if (!Directory.Exists(ZoneInfo) || File.Exists(Path.Join(ZoneInfo, zone)))
        {
            return zone;
        }
        errors.Add(new("timeZone", $"'{zone}' is not in the tz database (like Europe/Berlin, America/New_York or Etc/UTC)"));
        return null;
    }

    private static string? Disk(string? value, List<FieldError> errors)
    {
        string? text = Blank(value);
        if (text is not null && (!DiskPath().IsMatch(text) || text.Contains("/../", StringComparison.Ordinal) || text.EndsWith("/..", StringComparison.Ordinal)))
        {
            errors.Add(new("disk", $"'{text}' is not a disk device like /dev/sda, /dev/nvme0n1 or /dev/disk/by-id/…"));
            return null;
        }
        return text;
    }

    private static string? Packages(string? value, List<FieldError> errors)
    {
        string? text = Blank(value);
        if (text is null || text.Equals(InstallSettings.None, StringComparison.OrdinalIgnoreCase))
        {
            return text?.ToLowerInvariant();
        }
        string[] names = text.Split([' ', ',', ';', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        string[] bad = [.. names.Where(n => !PackageName().IsMatch(n))];
        if (bad.Length > 0)
        {
            errors.Add(new("packages", $"{string.Join(", ", bad.Select(b => $"'{b}'"))}: not a Debian package name (lower-case letters, digits, + - and ., at least two)"));
            return null;
        }
        if (names.Length > MaxPackages)
        {
            errors.Add(new("packages", $"{names.Length} packages; at most {MaxPackages} (make a metapackage, or install the rest with configuration management)"));
            return null;
        }
        string list = string.Join(' ', names.Distinct(StringComparer.Ordinal));
        if (list.Length > MaxPackagesLength)
        {
            errors.Add(new("packages", $"longer than {MaxPackagesLength} characters"));
            return null;
        }
        return list;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^/[A-Za-z0-9._~/-]*$")]
    private static partial Regex UrlPath();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]{0,30}(/[A-Za-z0-9_+-]{1,30}){0,2}$")]
    private static partial Regex TimeZoneName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?(\\.[A-Za-z0-9-]{1,16})?(@[a-z]{1,16})?$")]
    private static partial Regex LocaleName();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,15}(\\([a-z0-9_-]{1,32}\\))?$")]
    private static partial Regex KeymapName();

    [GeneratedRegex("^/dev/[A-Za-z0-9][A-Za-z0-9._:/+-]{0,120}$")]
    private static partial Regex DiskPath();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();
}
