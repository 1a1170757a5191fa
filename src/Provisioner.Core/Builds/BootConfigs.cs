using Microsoft.Extensions.Options;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Builds;

/// <summary>
/// The boot loaders' configs, rendered per request: a host gets what <see cref="BuildLifecycle"/>
/// entitles it to (its profile's installer config, or local boot), and an unknown machine (after its
/// per-MAC miss) the default. Every other name a loader tries is a miss at once. Rendering records
/// nothing: the transfer's completion is the fact (<see cref="BuildFactRecorder"/>).
/// </summary>
public sealed class BootConfigs(HostDirectory hosts, TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<InstallerLogOptions>? logs = null, ApplianceIdentity? appliance = null,
    Images.ImageStore? images = null)
{
    /// <summary>pxelinux's config directory, the TFTP path prefix its requests carry.</summary>
    public const string Directory = "pxelinux.cfg/";

    /// <summary>The renders of the default config, which belongs to no host.</summary>
    private readonly RenderMemo _unknownHost = new();

    /// <summary>pxelinux's configs: <see cref="RenderAsync(BootLoader, string, string, CancellationToken)"/> for <see cref="BootLoader.Pxelinux"/>.</summary>
    public Task<string?> RenderAsync(string name, string baseUrl, CancellationToken cancellationToken) =>
        RenderAsync(BootLoader.Pxelinux, name, baseUrl, cancellationToken);

    /// <summary>
    /// The config a transfer path names (<c>pxelinux.cfg/01-…</c>, <c>/grub/grub.cfg-01-…</c>,
    /// <c>ipxe/…</c>, as TFTP and HTTP clients ask): its name without the leading slash, and the
    /// host's MAC when it is a host's rather than the default.
    /// </summary>
    public static bool TryParsePath(string path, out string name, out MacAddress? mac)
    {
        name = path.TrimStart('/');
        mac = null;
        foreach (BootLoader loader in BootLoader.All)
        {
            if (name.StartsWith(loader.Description, StringComparison.Ordinal) && loader.TryParse(name[loader.Description.Length..], out mac))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Null for names that are not ours to answer (UUID, hex IP, unknown MAC).</summary>
    public async Task<string?> RenderAsync(BootLoader loader, string name, string baseUrl, CancellationToken cancellationToken)
    {
        if (!loader.TryParse(name, out MacAddress? mac))
        {
            return null;
        }
        HostRecord? host = mac is { } known ? await hosts.FindByMacAsync(known, cancellationToken).ConfigureAwait(false) : null;
        if (host is null)
        {
            return mac is null || loader.DefaultForUnknown
                ? await templates.RenderCachedAsync(TemplateStore.LoaderFile(loader.TemplateDir, TemplateStore.Default), _unknownHost, baseUrl,
                    () => TemplateModel.ForServer(new BuildUrls(baseUrl, null), secrets.Value)).ConfigureAwait(false)
                : null;
        }
        // A host pinned to another appliance (a machine moved to this rack's segment) boots its disk here.
        bool building = BuildLifecycle.EntitlementOf(HostBuild.Of(host, appliance)).Config == BootConfigChoice.Installer && host.BuildToken is not null;
        var urls = new BuildUrls(baseUrl, host.BuildToken) { LogPort = logs?.Value.Port };
        if (building && Deploy.ImageProfiles.TryGetImage(host.Profile, out string image))
        {
            return await RenderDeployAsync(loader, host, image, urls).ConfigureAwait(false);
        }
        string file = TemplateStore.LoaderFile(loader.TemplateDir, building ? host.Profile : TemplateStore.LocalBoot);
        return await templates.RenderSharedAsync(file, baseUrl, () => TemplateModel.Shared(urls, secrets.Value)).ConfigureAwait(false)
            ?? await templates.RenderCachedAsync(file, host.Renders, baseUrl, () => TemplateModel.ForHost(host, urls, secrets.Value)).ConfigureAwait(false);
    }

    /// <summary>
    /// An image profile's config: the loader's <c>image.liquid</c> with the image's current version,
    /// remembered per version (a new build of the image is booted from the next config on). Without a
    /// built version the host gets nothing of its own, as a machine whose config is missing.
    /// </summary>
    private async Task<string?> RenderDeployAsync(BootLoader loader, HostRecord host, string image, BuildUrls urls)
    {
        if (images?.Current(image) is not { } manifest)
        {
            return null;
        }
        string file = TemplateStore.LoaderFile(loader.TemplateDir, Deploy.ImageProfiles.Template);
        return await templates.RenderCachedAsync(file, host.Renders, $"{urls.Base} {manifest.Version}",
            () => TemplateModel.ForDeploy(host, urls, secrets.Value, manifest)).ConfigureAwait(false);
    }
}
