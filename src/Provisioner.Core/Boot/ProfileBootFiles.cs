using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Boot;

/// <summary>A kernel or initrd a profile's boot config names that the boot dir does not have.</summary>
public sealed record MissingBootFile(string Profile, string Path)
{
    public override string ToString() => $"profile {Profile} lacks {Path} in the boot dir";
}

/// <summary>
/// Which kernels and initrds each profile boots, as its pxelinux config names them (<c>KERNEL</c>,
/// <c>LINUX</c>, <c>INITRD</c> and <c>initrd=</c>, rendered for a sample host), and which of them the
/// boot dir lacks: a machine sent to such a profile would stop at its boot loader.
/// </summary>
public sealed class ProfileBootFiles(TemplateStore templates, BootFiles files, IOptions<PreseedOptions> preseed, Images.ImageStore? images = null)
{
    private static readonly BuildUrls SampleUrls = new("http://192.0.2.1", "sample");

    /// <summary>What to tell an operator who asks for a build with <paramref name="profile"/>: one line per missing file, or none.</summary>
    public async Task<IReadOnlyList<string>> BuildWarningsAsync(string profile) =>
        Deploy.ImageProfiles.TryGetImage(profile, out string image)
            ? images?.Current(image) is null
                ? [$"image {image} has no built version yet (provisioner images build {image}): the host gets no boot config of its own until it has one"]
                : []
            : [.. (await MissingAsync(profile).ConfigureAwait(false)).Select(m => $"{m}: the host will stop at its boot loader until the file is there")];

    /// <summary>The missing files of <paramref name="profile"/>, or of every profile when it is null.</summary>
    public async Task<IReadOnlyList<MissingBootFile>> MissingAsync(string? profile = null)
    {
        var missing = new List<MissingBootFile>();
        foreach (string name in profile is null ? templates.List() : templates.Exists(profile) ? [profile] : [])
        {
            foreach (string path in await NamedAsync(name).ConfigureAwait(false))
            {
                if (files.Find(path).Status == BootFileStatus.NotFound)
                {
                    missing.Add(new MissingBootFile(name, path));
                }
            }
        }
        return missing;
    }

    /// <summary>The files <paramref name="profile"/>'s pxelinux config loads; none when it does not render (the templates page says why).</summary>
    private async Task<IReadOnlyList<string>> NamedAsync(string profile)
    {
        var sample = new HostRecord { Mac = "02:00:00:00:00:01", Hostname = "sample", Ip = "192.0.2.10", PrefixLength = 24, Profile = profile };
        string config;
        try
        {
            config = await templates.RenderAsync(TemplateStore.PxelinuxFile(profile), TemplateModel.ForHost(sample, SampleUrls, preseed.Value)).ConfigureAwait(false);
        }
        catch (TemplateException)
        {
            return [];
        }
        return PxelinuxFiles(config);
    }

    /// <summary>The kernel and initrd paths a pxelinux config names, in order, once each.</summary>
    public static IReadOnlyList<string> PxelinuxFiles(string config)
    {
        var paths = new List<string>();
        foreach (string raw in config.Split('\n'))
        {
            string[] words = raw.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }
            string keyword = words[0].ToUpperInvariant();
            if (keyword is "KERNEL" or "LINUX")
            {
                paths.Add(words[1]);
            }
            else if (keyword == "INITRD")
            {
                paths.AddRange(words[1].Split(','));
            }
            else if (keyword == "APPEND")
            {
                paths.AddRange(words.Where(w => w.StartsWith("initrd=", StringComparison.Ordinal)).SelectMany(w => w["initrd=".Length..].Split(',')));
            }
        }
        return [.. paths.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];
    }
}
