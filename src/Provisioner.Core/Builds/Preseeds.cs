using System.Net;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Builds;

/// <summary>A rendered preseed and the host it is for, or why there is none (one line for the 404).</summary>
public sealed record PreseedResult(string? Text, string Reason, HostRecord? Host = null)
{
    public static PreseedResult Missing(string reason) => new(null, reason);
}

/// <summary>
/// Preseeds, found two ways: by the per-build token in the URL the host's pxelinux config carries,
/// or, for installers pointed at one fixed URL, by the requester's IP through the IP→MAC bindings
/// learnt from the wire. A requester that cannot be identified gets nothing, never another host's;
/// a token whose build has ended gets nothing either (<see cref="BuildLifecycle"/>). Rendering
/// records nothing: the endpoint reports the preseed sent once it went out.
/// </summary>
public sealed class Preseeds(HostDirectory hosts, TemplateStore templates, IIpMacBindings bindings, IOptions<PreseedOptions> secrets,
    ApplianceIdentity? appliance = null)
{
    public async Task<PreseedResult> ForTokenAsync(string token, string baseUrl, CancellationToken cancellationToken) =>
        await BuildFilesByToken.FindAsync(hosts, token, appliance, cancellationToken).ConfigureAwait(false) is { } host
            ? await RenderAsync(host, host.Profile, baseUrl).ConfigureAwait(false)
            : PreseedResult.Missing(BuildFilesByToken.NoBuild);

    public async Task<PreseedResult> ForRequesterAsync(IPAddress peer, string? profile, string baseUrl, CancellationToken cancellationToken)
    {
        if (!bindings.TryGetVouchedMac(peer, out MacAddress mac))
        {
            return PreseedResult.Missing(bindings.TryGetMac(peer, out MacAddress claimed)
                ? $"{peer} is claimed by {claimed}, but no trusted DHCP server assigned it (Preseed:TrustedDhcpServers): use the per-host preseed URL from the host's boot config"
                : $"no MAC address is known for {peer}: use the per-host preseed URL from the host's boot config");
        }
        HostRecord? host = await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return PreseedResult.Missing($"{peer} is {mac}, which is not a registered host");
        }
        HostBuild build = HostBuild.Of(host, appliance);
        if (!BuildLifecycle.EntitlementOf(build).PreseedByAddress || host.BuildToken is null)
        {
            // The policy decided; the words say why, for the operator reading the 404.
            return PreseedResult.Missing(build.State.IsBuilding() && build.PinnedElsewhere
                ? $"{peer} is host {host.Hostname}, which is built by appliance {host.Appliance}"
                : $"{peer} is host {host.Hostname}, which has no build in progress (state {host.State.Name()})");
        }
        string chosen = profile ?? host.Profile;
        return templates.Exists(chosen)
            ? await RenderAsync(host, chosen, baseUrl).ConfigureAwait(false)
            : PreseedResult.Missing($"no profile '{chosen}'");
    }

    private async Task<PreseedResult> RenderAsync(HostRecord host, string profile, string baseUrl)
    {
        if (Deploy.ImageProfiles.IsImage(profile))
        {
            return PreseedResult.Missing($"profile {profile} deploys an image: it has no preseed");
        }
        string text = await templates.RenderCachedAsync(TemplateStore.PreseedFile(profile), host.Renders, baseUrl,
            () => TemplateModel.ForHost(host, new BuildUrls(baseUrl, host.BuildToken), secrets.Value)).ConfigureAwait(false);
        return new PreseedResult(text, string.Empty, host);
    }
}
