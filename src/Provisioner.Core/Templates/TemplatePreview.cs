using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Templates;

/// <summary>
/// Renders a template for people to read (the host page, the templates page): with the build token
/// and the secrets replaced by <see cref="Hidden"/>, and without counting as a fetch by the host.
/// </summary>
public sealed class TemplatePreview(TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<Builds.InstallerLogOptions>? logs = null, Access.SshKeys? keys = null,
    Images.ImageStore? images = null)
{
    public const string Hidden = "********";

    /// <summary>
    /// The text, or <see cref="TemplateException"/> with file and line. Without a host, a loader's
    /// <c>default</c> file renders as it is served; every other file needs one (its variables are a
    /// host's), so it renders for <see cref="SampleHost"/>.
    /// </summary>
    public async ValueTask<string> RenderAsync(string file, HostRecord? host, string baseUrl)
    {
        if (host is null && !IsServerWide(file))
        {
            host = SampleHost(file);
        }
        var masked = new PreseedOptions
        {
            RootPasswordHash = string.IsNullOrEmpty(secrets.Value.RootPasswordHash) ? string.Empty : Hidden,
            AdminUser = secrets.Value.AdminUser,
            AdminSudoWithoutPassword = secrets.Value.AdminSudoWithoutPassword,
            AdminPasswordHash = string.IsNullOrEmpty(secrets.Value.AdminPasswordHash) ? string.Empty : Hidden,
            Defaults = secrets.Value.Defaults,
        };
        var urls = new BuildUrls(baseUrl, host is null ? null : Hidden) { LogPort = logs?.Value.Port };
        if (host is not null && TemplateStore.IsFinish(file))
        {
            List<string> siteKeys = keys is null ? [] : await keys.LinesAsync(CancellationToken.None).ConfigureAwait(false);
            return await templates.RenderAsync(file, TemplateModel.ForFinish(host, urls, masked, siteKeys)).ConfigureAwait(false);
        }
        if (host is not null && Path.GetFileNameWithoutExtension(file) == Deploy.ImageProfiles.Template)
        {
            // An image profile's config: the host's image as built now, else a made-up version of it.
            string name = Deploy.ImageProfiles.TryGetImage(host.Profile, out string image) ? image : "debian12";
            Images.ImageManifest manifest = images?.Current(name) ?? new Images.ImageManifest(name, "VERSION", DateTimeOffset.UnixEpoch, "bookworm", "amd64", string.Empty, [], []);
            return await templates.RenderAsync(file, TemplateModel.ForDeploy(host, urls, masked, manifest)).ConfigureAwait(false);
        }
        return await templates.RenderAsync(file, host is null ? TemplateModel.ForServer(urls, masked) : TemplateModel.ForHost(host, urls, masked)).ConfigureAwait(false);
    }

    /// <summary>A loader's <c>default</c> file: what a machine gets before any host is known, rendered with no host.</summary>
    public static bool IsServerWide(string file) => !TemplateStore.IsFinish(file) && Path.GetFileNameWithoutExtension(file) == "default";

    /// <summary>A host made up to show what a host's file looks like: TEST-NET addresses, the profile the file is named after.</summary>
    public static HostRecord SampleHost(string file)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        return new HostRecord
        {
            Mac = "52:54:00:12:34:56", Hostname = "sample", Domain = "example.org", Ip = "192.0.2.10", PrefixLength = 24, Gateway = "192.0.2.1",
            Dns = ["192.0.2.53"], State = BuildState.Pending,
            Profile = name switch
            {
                "default" or "localboot" => HostValidator.DefaultProfile,
                Deploy.ImageProfiles.Template => Deploy.ImageProfiles.For("debian12"),
                _ => name,
            },
        };
    }
}
