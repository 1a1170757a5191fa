using Microsoft.Extensions.Options;

namespace Provisioner.Core.Mirror;

/// <summary>An archive the mirror serves as <c>/mirror/{Name}/</c>, fetched from <see cref="Uri"/> (ending in <c>/</c>); <see cref="From"/> says where that was configured.</summary>
public sealed record MirrorUpstream(string Name, Uri Uri, string From);

/// <summary>
/// The archives the mirror may fetch from, worked out once: <see cref="MirrorOptions.Upstreams"/>, or
/// else this machine's apt sources. No other host is ever asked.
/// </summary>
public sealed class MirrorUpstreams
{
    public MirrorUpstreams(IOptions<MirrorOptions> options)
        : this(Resolve(options.Value))
    {
    }

    public MirrorUpstreams(IReadOnlyList<MirrorUpstream> all)
    {
        All = all;
        _byName = all.ToDictionary(u => u.Name, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, MirrorUpstream> _byName;

    public IReadOnlyList<MirrorUpstream> All { get; }

    public MirrorUpstream? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary><c>name=URL, …</c>, for the log.</summary>
    public override string ToString() => string.Join(", ", All.Select(u => $"{u.Name}={u.Uri}"));

    public static IReadOnlyList<MirrorUpstream> Resolve(MirrorOptions options)
    {
        if (options.Upstreams.Count > 0)
        {
            // Checked at start (Problems): every value is an http(s) URL and every name a plain one.
            return options.Upstreams
                .Select(pair => new MirrorUpstream(pair.Key, Normalise(new Uri(pair.Value)), "Mirror:Upstreams:" + pair.Key))
                .OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        }
        var named = new List<MirrorUpstream>();
        foreach (AptSource source in AptSources.Read(options.AptDir))
        {
            string name = NameFor(source.Uri);
            string unique = name;
            for (int n = 2; named.Any(u => u.Name == unique); n++)
            {
                unique = $"{name}-{n}";
            }
            named.Add(new MirrorUpstream(unique, source.Uri, source.File));
        }
        return named;
    }

    /// <summary>Why the configured upstreams cannot be used, one line each.</summary>
    public static IEnumerable<string> Problems(MirrorOptions options)
    {
        foreach ((string name, string url) in options.Upstreams)
        {
            if (!MirrorPath.IsPlainSegment(name))
            {
                yield return $"Mirror:Upstreams:{name}: the name must be letters, digits, '.', '_', '-' or '+', not starting with '.'";
            }
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
            {
                yield return $"Mirror:Upstreams:{name} is '{url}': it must be an archive's http(s) URL like http://deb.example.org/debian";
            }
        }
        if (!string.IsNullOrEmpty(options.UpstreamProxy)
            && (!Uri.TryCreate(options.UpstreamProxy, UriKind.Absolute, out Uri? proxy) || proxy.Scheme != "http"))
        {
            yield return $"Mirror:UpstreamProxy is '{options.UpstreamProxy}': it must be an HTTP proxy's URL like http://proxy.example.org:3128";
        }
    }

    /// <summary>The last part of the archive's path (<c>…/debian-security</c> is <c>debian-security</c>), else its host's first label.</summary>
    private static string NameFor(Uri uri)
    {
        string last = uri.AbsolutePath.TrimEnd('/').Split('/')[^1];
        string name = MirrorPath.IsPlainSegment(last) ? last : uri.Host.Split('.')[0];
        return MirrorPath.IsPlainSegment(name) ? name : "archive";
    }

    private static Uri Normalise(Uri uri) => new(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
}
