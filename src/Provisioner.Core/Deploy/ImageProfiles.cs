namespace Provisioner.Core.Deploy;

/// <summary>
/// A profile that deploys an image rather than running an installer: <c>image:NAME</c>, NAME an image
/// definition (<c>images/NAME.json</c>). Its boot configs are the loaders' <c>image.liquid</c>
/// templates, shared by every image profile; the image's own kernel and initrd boot it live from the
/// network and its deploy agent writes it to disk.
/// </summary>
public static class ImageProfiles
{
    public const string Prefix = "image:";

    /// <summary>The template name, in each loader's directory, of every image profile's boot config.</summary>
    public const string Template = "image";

    public static string For(string image) => Prefix + image;

    /// <summary>The image an image profile deploys; false for installer profiles.</summary>
    public static bool TryGetImage(string profile, out string image)
    {
        image = profile.StartsWith(Prefix, StringComparison.Ordinal) ? profile[Prefix.Length..] : string.Empty;
        return image.Length > 0;
    }

    public static bool IsImage(string profile) => TryGetImage(profile, out _);
}
