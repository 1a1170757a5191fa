namespace Provisioner.Core.Images;

/// <summary>One file of a built image: its size and sha256.</summary>
public sealed record ImageFile(string Name, long Size, string Sha256);

/// <summary>A package installed in the image.</summary>
public sealed record ImagePackage(string Name, string Version);

/// <summary>
/// <c>manifest.json</c> of one built version, written last: a version directory without it is not an
/// image. Root filesystem (squashfs), kernel and initrd, what went in, and the definition it came from.
/// <paramref name="RootBytes"/>: what the root's files take once written out (0 in images built before it was recorded).
/// </summary>
public sealed record ImageManifest(
    string Name,
    string Version,
    DateTimeOffset Built,
    string Suite,
    string Architecture,
    string KernelCommandLine,
    IReadOnlyList<ImageFile> Files,
    IReadOnlyList<ImagePackage> Packages,
    long RootBytes = 0)
{
    public const string FileName = "manifest.json";
    public const string RootFile = "root.squashfs";
    public const string KernelFile = "vmlinuz";
    public const string InitrdFile = "initrd.img";
}
