namespace Provisioner.Core.Mirror;

/// <summary>
/// A file of an upstream archive, checked: every segment is a plain name (no <c>.</c> or <c>..</c>, no
/// leading dot, no <c>/</c> or <c>\</c> inside, only characters Debian's file names use), so the path
/// stays inside the archive upstream and inside its directory in the cache.
/// </summary>
public sealed record MirrorPath(string Upstream, string Path)
{
    private const int MaxLength = 1024;

    /// <summary>
    /// Files under <c>pool/</c> and <c>by-hash/</c> never change once published (a new version has a new
    /// name): cached for good. Everything else (<c>InRelease</c>, <c>Packages.xz</c>, …) is an index that
    /// upstream replaces, checked again after <see cref="MirrorOptions.IndexMaxAge"/>.
    /// </summary>
    public bool Immutable => Path.Split('/').Any(s => s is "pool" or "by-hash");

    public static bool TryParse(string upstream, string? path, out MirrorPath? parsed, out string reason)
    {
        parsed = null;
        if (!IsPlainSegment(upstream))
        {
            reason = $"'{upstream}' is not an archive name";
            return false;
        }
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength)
        {
            reason = string.IsNullOrEmpty(path) ? "no file named" : $"path longer than {MaxLength} characters";
            return false;
        }
        foreach (string segment in path.Split('/'))
        {
            if (!IsPlainSegment(segment))
            {
                reason = $"path '{path}' refused: each part must be a plain file or directory name (no '..', no leading '.', no empty part)";
                return false;
            }
        }
        parsed = new MirrorPath(upstream, path);
        reason = string.Empty;
        return true;
    }

    /// <summary>Letters, digits and <c>. _ - + ~ : =</c> (Debian versions, by-hash names), not starting with a dot.</summary>
    public static bool IsPlainSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment[0] != '.'
        && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '~' or ':' or '=');

    /// <summary>The upstream URL of this file under <paramref name="archive"/>, each segment escaped (<c>+</c>, <c>~</c>, <c>:</c>).</summary>
    public Uri UpstreamUri(Uri archive) => new(archive, string.Join('/', Path.Split('/').Select(Uri.EscapeDataString)));

    public override string ToString() => $"{Upstream}/{Path}";
}
