using Microsoft.Extensions.Options;

namespace Provisioner.Core.Boot;

/// <summary>The outcome of looking up a boot file.</summary>
public enum BootFileStatus
{
    Found,
    NotFound,
    Denied,
}

public readonly record struct BootFileLookup(BootFileStatus Status, string FullPath, string Reason);

/// <summary>
/// Finds boot files: in the boot dir, then (for plain file names) in the system's syslinux
/// directories, and (for a file in a profile's directory) in that profile's package directory.
/// Built images' boot files are under <c>images/NAME/VERSION/</c> (<see cref="ImagePrefix"/>), from
/// the image store, so a deploy's boot config can name them over TFTP and HTTP alike.
/// Every answer is confined to the directory it came from, symlinks included.
/// </summary>
public sealed class BootFiles(IOptions<BootFileOptions> options, Images.ImageStore? images = null)
{
    /// <summary>The boot-dir path of built images: <c>images/NAME/VERSION/FILE</c>.</summary>
    public const string ImagePrefix = "images/";

    private readonly BootFileOptions _options = options.Value;

    public BootFileLookup Find(string requested)
    {
        if (!BootPath.TryNormalize(requested, out string relative, out string refusal))
        {
            return new BootFileLookup(BootFileStatus.Denied, string.Empty, refusal);
        }
        BootFileLookup lookup = FindIn(_options.BootDir, relative);
        if (lookup.Status != BootFileStatus.NotFound)
        {
            return lookup;
        }
        if (images is not null && relative.StartsWith(ImagePrefix, StringComparison.Ordinal))
        {
            // images/debian12/20261204T030040Z/vmlinuz: exactly a version's boot files, nothing else of the store.
            string[] parts = relative[ImagePrefix.Length..].Split('/');
            // A name with a leading dot is a build under way (.build-VERSION) or the store's lock: not served.
            return parts.Length == 3 && !parts[0].StartsWith('.') && !parts[1].StartsWith('.') && parts[2] is Images.ImageManifest.KernelFile or Images.ImageManifest.InitrdFile or Images.ImageManifest.RootFile
                ? FindIn(images.Root, relative[ImagePrefix.Length..])
                : lookup;
        }
        int slash = relative.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            // debian12/linux: the one level of a profile's directory, from its package when configured.
            string rest = relative[(slash + 1)..];
            return !rest.Contains('/', StringComparison.Ordinal) && _options.DirFallbacks.TryGetValue(relative[..slash], out string? dir)
                && FindIn(dir, rest) is { Status: not BootFileStatus.NotFound } packaged
                ? packaged
                : lookup;
        }
        foreach (string fallback in _options.FallbackDirs)
        {
            BootFileLookup found = FindIn(fallback, relative);
            if (found.Status != BootFileStatus.NotFound)
            {
                return found;
            }
        }
        return lookup;
    }

    private static BootFileLookup FindIn(string root, string relative)
    {
        string? realRoot = RealPath.Resolve(root);
        string? real = realRoot is null ? null : RealPath.Resolve(Path.Join(realRoot, relative));
        if (realRoot is null || real is null)
        {
            return new BootFileLookup(BootFileStatus.NotFound, string.Empty, $"{relative}: no such file");
        }
        if (!real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return new BootFileLookup(BootFileStatus.Denied, string.Empty, $"{relative}: a symlink leads out of {root}");
        }
        if (!File.Exists(real))
        {
            return new BootFileLookup(BootFileStatus.NotFound, string.Empty, $"{relative}: not a regular file");
        }
        return new BootFileLookup(BootFileStatus.Found, real, string.Empty);
    }
}
