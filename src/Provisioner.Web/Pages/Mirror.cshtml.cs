using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Mirror;

namespace Provisioner.Web.Pages;

/// <summary>The package mirror: its archives, how well the cache serves, what it misses, and the last upstream error.</summary>
public sealed class MirrorModel(PackageMirror mirror) : PageModel
{
    public PackageMirror Mirror => mirror;

    public MirrorStats Stats => mirror.Stats;

    /// <summary>Files and bytes cached per archive, read from disk.</summary>
    public IReadOnlyDictionary<string, (int Files, long Bytes)> Usage { get; private set; } = new Dictionary<string, (int, long)>();

    /// <summary>The mirror's address as this browser reached the appliance: what an installer or apt is pointed at.</summary>
    public string BaseUrl => $"{Request.Scheme}://{Request.Host}/mirror";

    public void OnGet() =>
        Usage = MirrorCache.Usage(mirror.Cache.Root).ToDictionary(u => u.Upstream, u => (u.Files, u.Bytes), StringComparer.Ordinal);
}
