using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Fluid;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Templates;

/// <summary>
/// Parses and renders the Liquid templates under the templates directory. A parsed template is kept
/// until its file's modification time or size changes, so an edit on disk applies to the next
/// request. Rendering is strict: an unknown variable or filter is an error naming file and line,
/// and nothing half-rendered is returned.
/// </summary>
public sealed partial class TemplateStore : IProfileCatalog
{
    public const string PxelinuxDir = "pxelinux";
    public const string PreseedDir = "preseed";
    public const string FinishDir = "finish";
    public const string LocalBoot = "localboot";
    public const string Default = "default";
    private const string Extension = ".liquid";

    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, Parsed> _cache = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;
    private readonly TimeProvider _time;

    /// <summary>How long a template file is trusted before its modification time is checked again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    public TemplateStore(IOptions<TemplateStoreOptions> options, TimeProvider time)
    {
        _time = time;
        Root = Path.GetFullPath(options.Value.Directory);
        _options = new TemplateOptions
        {
            StrictFilters = true,
            StrictVariables = true,
            MaxSteps = 100_000,
            // Unknown top-level names; unknown members are caught by StrictObject.
            Undefined = name => throw new FluidException($"unknown variable '{name}'"),
        };
    }

    public string Root { get; }

    public static string PxelinuxFile(string name) => LoaderFile(PxelinuxDir, name);

    /// <summary>A boot loader's template: <c>grub/debian12.liquid</c>.</summary>
    public static string LoaderFile(string loaderDir, string name) => $"{loaderDir}/{name}{Extension}";

    public static string PreseedFile(string profile) => $"{PreseedDir}/{profile}{Extension}";

    /// <summary>The finish script profiles share when they have none of their own (<see cref="FinishFileFor"/>).</summary>
    public const string SharedFinish = "default";

    /// <summary>A profile's own finish script, <c>finish/debian12.liquid</c>.</summary>
    public static string FinishFile(string profile) => $"{FinishDir}/{profile}{Extension}";

    /// <summary>The finish script the shipped preseeds' late_command fetches and runs for <paramref name="profile"/>: its own, else <c>finish/default.liquid</c>.</summary>
    public string FinishFileFor(string profile) => HasFile(FinishFile(profile)) ? FinishFile(profile) : FinishFile(SharedFinish);

    /// <summary>Whether <paramref name="file"/> is a finish script: the only templates that see <c>access.authorized_keys</c>.</summary>
    public static bool IsFinish(string file) => file.StartsWith(FinishDir + "/", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="file"/> (relative, like <c>finish/debian12.liquid</c>) is one of <see cref="ListFiles"/>.</summary>
    public bool HasFile(string file) => ListFiles().Contains(file, StringComparer.Ordinal);

    /// <summary>Renders <paramref name="file"/> (relative, like <c>preseed/debian12.liquid</c>) with <paramref name="model"/>.</summary>
    public ValueTask<string> RenderAsync(string file, IReadOnlyDictionary<string, object?> model) => RenderAsync(Load(file), file, model);

    /// <summary>
    /// Like <see cref="RenderAsync(string, IReadOnlyDictionary{string, object})"/>, but reuses the text rendered
    /// earlier into <paramref name="memo"/> (which belongs to one immutable snapshot, such as a cached
    /// host) for the same <paramref name="key"/> (the base URL) and version of the template file.
    /// </summary>
    public ValueTask<string> RenderCachedAsync(string file, RenderMemo memo, string key, Func<IReadOnlyDictionary<string, object?>> model) =>
        RenderCachedAsync(Load(file), file, memo, key, model);

    /// <summary>
    /// The text every host gets from <paramref name="file"/> for <paramref name="key"/> (the base URL),
    /// or null when it depends on the host. Most hosts asking are not being built, and their
    /// local-boot config is the same for all of them: rendered and kept per host, it cost a model,
    /// a render and memory that every garbage collection promoted, for each of 100,000 hosts.
    /// The template is rendered once with <paramref name="shared"/>, only the variables all hosts see
    /// alike (<see cref="TemplateModel.Shared"/>). Rendering is strict, so if that succeeds no host
    /// variable was reached on the way, and a host's own model takes the very same path to the
    /// same text. If it fails, the template (this version of the file) is the host's own.
    /// </summary>
    public async ValueTask<string?> RenderSharedAsync(string file, string key, Func<IReadOnlyDictionary<string, object?>> shared)
    {
        Parsed parsed = Load(file);
        if (Volatile.Read(ref parsed.HostSpecific))
        {
            return null;
        }
        if (parsed.Shared.TryGet(file, key, parsed, out string hit))
        {
            return hit;
        }
        try
        {
            string text = await RenderAsync(parsed, file, shared()).ConfigureAwait(false);
            parsed.Shared.Add(file, key, parsed, text);
            return text;
        }
        catch (TemplateException)
        {
            Volatile.Write(ref parsed.HostSpecific, true);
            return null;
        }
    }

    private async ValueTask<string> RenderCachedAsync(Parsed parsed, string file, RenderMemo memo, string key, Func<IReadOnlyDictionary<string, object?>> model)
    {
        if (memo.TryGet(file, key, parsed, out string hit))
        {
            return hit;
        }
        string text = await RenderAsync(parsed, file, model()).ConfigureAwait(false);
        memo.Add(file, key, parsed, text);
        return text;
    }

    private async ValueTask<string> RenderAsync(Parsed parsed, string file, IReadOnlyDictionary<string, object?> model)
    {
        var context = new TemplateContext(_options);
        foreach ((string name, object? value) in model)
        {
            context.SetValue(name, StrictObject.Wrap(name, value, _options));
        }
        try
        {
            return await parsed.Template.RenderAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FluidException or InvalidOperationException or ArgumentException or FormatException or InvalidCastException or NullReferenceException)
        {
            (int line, string reason) = Locate(parsed.Source, ex.Message);
            throw new TemplateException(file, line, reason);
        }
    }

    public bool Exists(string profile) =>
        IsProfileName(profile) && profile is not LocalBoot and not Default and not Deploy.ImageProfiles.Template && File.Exists(Path.Combine(Root, PxelinuxFile(profile)));

    public IReadOnlyList<string> List()
    {
        string dir = Path.Combine(Root, PxelinuxDir);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*" + Extension)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(p => IsProfileName(p) && p is not LocalBoot and not Default and not Deploy.ImageProfiles.Template)
                .Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Every template file, relative to <see cref="Root"/> (<c>pxelinux/debian12.liquid</c>), pxelinux first.</summary>
    public IReadOnlyList<string> ListFiles() =>
        Builds.BootLoader.All.Select(l => l.TemplateDir).Append(PreseedDir).Append(FinishDir)
            .Where(d => Directory.Exists(Path.Combine(Root, d)))
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*" + Extension)
                .Select(f => $"{d}/{Path.GetFileName(f)}")
                .Where(f => IsProfileName(Path.GetFileNameWithoutExtension(f)))
                .Order(StringComparer.Ordinal))
            .ToList();

    /// <summary>The text of one of <see cref="ListFiles"/>, as it is on disk (even when it does not parse); null for any other name.</summary>
    public string? Source(string file) =>
        HasFile(file) ? File.ReadAllText(Path.Combine(Root, file)) : null;

    /// <summary>
    /// The parsed template, re-read when the file's modification time or size changed. The file is
    /// looked at again at most every <see cref="RecheckInterval"/>, so edits apply within a second.
    /// </summary>
    private Parsed Load(string file)
    {
        long now = _time.GetTimestamp();
        if (_cache.TryGetValue(file, out Parsed? cached) && _time.GetElapsedTime(Volatile.Read(ref cached.CheckedAt), now) < RecheckInterval)
        {
            return cached;
        }
        string path = Path.Combine(Root, file);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            _cache.TryRemove(file, out _);
            throw new TemplateException(file, 0, $"no such template in {Root}");
        }
        if (cached is not null && cached.Modified == info.LastWriteTimeUtc && cached.Length == info.Length)
        {
            Volatile.Write(ref cached.CheckedAt, now);
            return cached;
        }
        string source = File.ReadAllText(path);
        if (!Parser.TryParse(source, out IFluidTemplate? template, out string? error))
        {
            (int line, string reason) = ParseErrorLine(error);
            throw new TemplateException(file, line, reason);
        }
        var parsed = new Parsed(template, source, info.LastWriteTimeUtc, info.Length) { CheckedAt = now };
        _cache[file] = parsed;
        return parsed;
    }

    /// <summary>Fluid's parse errors end with "at (line:column)".</summary>
    private static (int Line, string Reason) ParseErrorLine(string error)
    {
        Match match = ParsePosition().Match(error);
        return match.Success
            ? (int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), error)
            : (0, error);
    }

    /// <summary>
    /// Fluid does not know render positions; the first line that mentions the quoted name in the
    /// error ("The variable 'host.ipp' is undefined") is where an operator will look.
    /// </summary>
    private static (int Line, string Reason) Locate(string source, string message)
    {
        Match quoted = QuotedName().Match(message);
        if (!quoted.Success)
        {
            return (0, message);
        }
        string name = quoted.Groups["name"].Value;
        string[] lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(name, StringComparison.Ordinal))
            {
                return (i + 1, message);
            }
        }
        return (0, message);
    }

    private static bool IsProfileName(string name) => ProfileName().IsMatch(name);

    [GeneratedRegex(@"\((?<line>\d+):(?<column>\d+)\)")]
    private static partial Regex ParsePosition();

    [GeneratedRegex(@"'(?<name>[^']+)'")]
    private static partial Regex QuotedName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ProfileName();

    private sealed class Parsed(IFluidTemplate template, string source, DateTime modified, long length)
    {
        public long CheckedAt;

        /// <summary>Set once a render with only the shared variables failed: see <see cref="RenderSharedAsync"/>.</summary>
        public bool HostSpecific;

        /// <summary>The texts every host gets, by base URL, while <see cref="HostSpecific"/> is not set.</summary>
        public RenderMemo Shared { get; } = new();

        public IFluidTemplate Template { get; } = template;

        public string Source { get; } = source;

        public DateTime Modified { get; } = modified;

        public long Length { get; } = length;
    }
}
