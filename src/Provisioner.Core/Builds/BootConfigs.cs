using System.Net;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Builds;

/// <summary>
/// The pxelinux configs, rendered per request: a building host gets its profile's installer
/// config, any other registered host the local-boot config, and an unknown machine (after its
/// <c>01-&lt;mac&gt;</c> miss) <c>default</c>. Every other name pxelinux tries is a miss at once.
/// </summary>
public sealed class BootConfigs(HostDirectory hosts, BuildTracker tracker, TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<InstallerLogOptions>? logs = null)
{
    public const string Directory = "pxelinux.cfg/";

    /// <summary>The render-cache key of the default config, which belongs to no host.</summary>
    private static readonly object UnknownHost = new();

    /// <summary>Null for names that are not ours to answer (UUID, hex IP, unknown MAC).</summary>
    public async Task<string?> RenderAsync(string name, IPAddress peer, string baseUrl, string source, CancellationToken cancellationToken)
    {
        if (name == TemplateStore.Default)
        {
            return await templates.RenderCachedAsync(TemplateStore.PxelinuxFile(TemplateStore.Default), UnknownHost, baseUrl,
                () => TemplateModel.ForServer(new BuildUrls(baseUrl, null), secrets.Value)).ConfigureAwait(false);
        }
        if (!name.StartsWith("01-", StringComparison.Ordinal) || !MacAddress.TryParse(name[3..], out MacAddress mac) || name.Length != 20)
        {
            return null;
        }
        HostRecord? host = await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return null;
        }
        bool building = host.State.IsBuilding() && host.BuildToken is not null;
        string file = TemplateStore.PxelinuxFile(building ? host.Profile : TemplateStore.LocalBoot);
        string config = await templates.RenderCachedAsync(file, host, baseUrl,
            () => TemplateModel.ForHost(host, new BuildUrls(baseUrl, host.BuildToken) { LogPort = logs?.Value.Port }, secrets.Value)).ConfigureAwait(false);
        if (building)
        {
            tracker.ConfigServed(host, peer, source, Directory + name);
        }
        return config;
    }
}
