namespace Provisioner.Core.Mirror;

/// <summary>The package mirror (configuration section <c>Mirror</c>). Defaults: nothing to configure.</summary>
public sealed class MirrorOptions
{
    /// <summary>Default <see cref="MaxSize"/>: 50 GiB, a Debian release's amd64 packages several times over.</summary>
    public const long DefaultMaxSize = 50L << 30;

    /// <summary>
    /// Archives served as <c>/mirror/NAME/…</c> (<c>Mirror:Upstreams:debian=http://…/debian</c>). Empty (the
    /// default): the archives this machine's apt uses (<see cref="AptDir"/>), each named by the last part of
    /// its path (<c>debian</c>, <c>debian-security</c>). Only these are fetched: the mirror is no open proxy.
    /// </summary>
    public IDictionary<string, string> Upstreams { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A site's HTTP proxy for every upstream request (<c>http://proxy.example.org:3128</c>). Default none: direct.</summary>
    public string? UpstreamProxy { get; set; }

    /// <summary>
    /// How long a cached index file (<c>InRelease</c>, <c>Release</c>, <c>Packages*</c>, anything outside
    /// <c>pool/</c> and <c>by-hash/</c>) is served before it is checked upstream again. Default 5 minutes.
    /// </summary>
    public TimeSpan IndexMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bytes the cache may hold; the least recently used files go first. Default 50 GiB.</summary>
    public long MaxSize { get; set; } = DefaultMaxSize;

    /// <summary>
    /// How long an upstream may take to connect, to answer, and between two reads of a download before it
    /// counts as failed. Default 30 seconds.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where apt's sources are read when <see cref="Upstreams"/> is empty: <c>sources.list</c> and <c>sources.list.d/*.list|*.sources</c>. Default <c>/etc/apt</c>.</summary>
    public string AptDir { get; set; } = "/etc/apt";
}
