using Microsoft.Extensions.Options;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Builds;

/// <summary>
/// A build's finish script, <c>/build/{token}/finish</c>: what the shipped preseeds' late_command
/// fetches and runs with the installed system at <c>/target</c> (SSH keys for root and the admin user,
/// the first-boot report, the serial console for GRUB). Rendered from <c>finish/&lt;profile&gt;.liquid</c>
/// at each fetch, with the site's keys as they are now. The token is the credential: the policy gives
/// it while the build's preseed is (<see cref="Entitlement.Preseed"/>), and nothing after.
/// </summary>
public sealed class FinishScripts(HostDirectory hosts, TemplateStore templates, Access.SshKeys keys, IOptions<PreseedOptions> secrets,
    IOptions<InstallerLogOptions>? logs = null, ApplianceIdentity? appliance = null)
{
    public async Task<PreseedResult> ForTokenAsync(string token, string baseUrl, CancellationToken cancellationToken)
    {
        if (await BuildFilesByToken.FindAsync(hosts, token, appliance, cancellationToken).ConfigureAwait(false) is not { } host)
        {
            return PreseedResult.Missing(BuildFilesByToken.NoBuild);
        }
        if (Deploy.ImageProfiles.IsImage(host.Profile))
        {
            return PreseedResult.Missing($"profile {host.Profile} deploys an image: cloud-init sets it up, there is no finish script");
        }
        string file = templates.FinishFileFor(host.Profile);
        if (!templates.HasFile(file))
        {
            return PreseedResult.Missing($"profile '{host.Profile}' has no finish script (templates/{TemplateStore.FinishFile(host.Profile)} or templates/{file})");
        }
        List<string> siteKeys = await keys.LinesAsync(cancellationToken).ConfigureAwait(false);
        var urls = new BuildUrls(baseUrl, host.BuildToken) { LogPort = logs?.Value.Port };
        string text = await templates.RenderAsync(file, TemplateModel.ForFinish(host, urls, secrets.Value, siteKeys)).ConfigureAwait(false);
        return new PreseedResult(text, string.Empty, host);
    }
}
