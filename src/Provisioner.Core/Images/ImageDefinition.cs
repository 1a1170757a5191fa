using System.Text.Json;
using System.Text.RegularExpressions;

namespace Provisioner.Core.Images;

/// <summary>
/// What an image holds, from <c>images/NAME.json</c>: the Debian suite and architecture, the mirror's
/// archives it installs from, the packages besides the essential ones, and the kernel command line it
/// boots with. Comments (<c>//</c>) are allowed.
/// </summary>
public sealed partial record ImageDefinition
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Debian suite (codename), <c>bookworm</c>.</summary>
    public string Suite { get; init; } = string.Empty;

    public string Architecture { get; init; } = "amd64";

    /// <summary>mmdebstrap's variant: <c>minbase</c> (essential packages and apt) unless named.</summary>
    public string Variant { get; init; } = "minbase";

    public IReadOnlyList<string> Components { get; init; } = ["main"];

    /// <summary>The mirror archive for the suite and <c>SUITE-updates</c>, <c>debian</c>.</summary>
    public string Archive { get; init; } = "debian";

    /// <summary>The mirror archive for <c>SUITE-security</c>; empty: none.</summary>
    public string SecurityArchive { get; init; } = "debian-security";

    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Arguments the image's kernel boots with, after the appliance's own (console, live boot).</summary>
    public string KernelCommandLine { get; init; } = string.Empty;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The definitions in <paramref name="directory"/>, by name; unreadable ones with their error.</summary>
    public static IReadOnlyList<(string Name, ImageDefinition? Definition, string? Error)> ReadAll(string directory) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
                .Select(f => Path.GetFileNameWithoutExtension(f))
                .Select(n => TryRead(directory, n, out ImageDefinition? d, out string? e) ? (n, d, null) : (n, (ImageDefinition?)null, e))
                .ToList()
            : [];

    /// <summary>Reads and checks <c>NAME.json</c>; the reason when it cannot be used.</summary>
    public static bool TryRead(string directory, string name, out ImageDefinition? definition, out string? error)
    {
        definition = null;
        if (!PlainName().IsMatch(name))
        {
            error = $"'{name}' is not an image name (letters, digits, '.', '_' and '-')";
            return false;
        }
        string file = Path.Join(directory, name + ".json");
        try
        {
            definition = (JsonSerializer.Deserialize<ImageDefinition>(File.ReadAllText(file), Json) ?? new ImageDefinition()) with { Name = name };
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"no image definition {file}";
            return false;
        }
        catch (JsonException ex)
        {
            error = $"{file}: {ex.Message}";
            return false;
        }
        error = definition.Problems().FirstOrDefault() is { } problem ? $"{file}: {problem}" : null;
        return error is null;
    }

    private IEnumerable<string> Problems()
    {
        if (!PlainName().IsMatch(Suite))
        {
            yield return $"suite '{Suite}' is not a suite name like bookworm";
        }
        if (!PlainName().IsMatch(Architecture) || !PlainName().IsMatch(Variant))
        {
            yield return $"architecture '{Architecture}' or variant '{Variant}' is not a plain name";
        }
        foreach (string value in Components.Append(Archive).Concat(SecurityArchive.Length > 0 ? [SecurityArchive] : []))
        {
            if (!PlainName().IsMatch(value))
            {
                yield return $"'{value}' is not a plain component or archive name";
            }
        }
        foreach (string package in Packages)
        {
            if (!PackageName().IsMatch(package))
            {
                yield return $"'{package}' is not a Debian package name";
            }
        }
        if (KernelCommandLine.Any(char.IsControl))
        {
            yield return "the kernel command line holds control characters";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex PlainName();

    /// <summary>Debian policy 5.6.1: lower case, digits, + - . ; at least two characters, starting alphanumeric.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();
}
