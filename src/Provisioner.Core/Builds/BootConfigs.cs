using System.Net;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Builds;

/// <summary>
/// The boot loaders' configs, rendered per request: a building host gets its profile's installer
/// config, any other registered host the local-boot config, and an unknown machine (after its
/// per-MAC miss) the default. Every other name a loader tries is a miss at once.
/// </summary>
public sealed class BootConfigs(HostDirectory hosts, BuildTracker tracker, TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<InstallerLogOptions>? logs = null, ApplianceIdentity? appliance = null)
{
    /// <summary>pxelinux's config directory, the TFTP path prefix its requests carry.</summary>
    public const string Directory = "pxelinux.cfg/";

    /// <summary>The renders of the default config, which belongs to no host.</summary>
    private readonly RenderMemo _unknownHost = new();

    /// <summary>pxelinux's configs: <see cref="RenderAsync(BootLoader, string, IPAddress, string, string, CancellationToken)"/> for <see cref="BootLoader.Pxelinux"/>.</summary>
    public Task<string?> RenderAsync(string name, IPAddress peer, string baseUrl, string source, CancellationToken cancellationToken) =>
        RenderAsync(BootLoader.Pxelinux, name, peer, baseUrl, source, cancellationToken);

    /// <summary>Null for names that are not ours to answer (UUID, hex IP, unknown MAC).</summary>
    public async Task<string?> RenderAsync(BootLoader loader, string name, IPAddress peer, string baseUrl, string source, CancellationToken cancellationToken)
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
        bool building = host.State.IsBuilding() && host.BuildToken is not null && (appliance?.Builds(host) ?? true);
        string file = TemplateStore.LoaderFile(loader.TemplateDir, building ? host.Profile : TemplateStore.LocalBoot);
        var urls = new BuildUrls(baseUrl, host.BuildToken) { LogPort = logs?.Value.Port };
        string config = await templates.RenderSharedAsync(file, baseUrl, () => TemplateModel.Shared(urls, secrets.Value)).ConfigureAwait(false)
            ?? await templates.RenderCachedAsync(file, host.Renders, baseUrl, () => TemplateModel.ForHost(host, urls, secrets.Value)).ConfigureAwait(false);
        if (building)
        {
            tracker.ConfigServed(host, peer, source, loader.Description + name);
        }
        return config;
    }
}
