using System.Net;
using System.Text;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Boot;

/// <summary>
/// TFTP for the appliance: names under <c>pxelinux.cfg/</c> are rendered per host, everything else
/// comes from the boot files. The config directory belongs to the appliance; files of that name in
/// the boot dir are not served.
/// </summary>
internal sealed class ConfigTftpHandler(BootTftpHandler files, BootConfigs configs, ApplianceUrls urls) : ITftpHandler
{
    public async ValueTask<TftpReadResult> OpenAsync(string path, IPEndPoint peer, IPAddress local, CancellationToken cancellationToken)
    {
        if (!path.StartsWith(BootConfigs.Directory, StringComparison.Ordinal))
        {
            return await files.OpenAsync(path, peer, local, cancellationToken).ConfigureAwait(false);
        }
        string name = path[BootConfigs.Directory.Length..];
        try
        {
            string? config = await configs.RenderAsync(name, peer.Address, urls.BaseFor(local), EventSources.Tftp, cancellationToken).ConfigureAwait(false);
            // UUID and hex-IP names, and MACs we do not know, miss at once so pxelinux moves on to default.
            return config is null
                ? TftpReadResult.NotFound($"{path}: no such file")
                : TftpReadResult.Found(new MemoryTftpSource(Encoding.UTF8.GetBytes(config)));
        }
        catch (TemplateException ex)
        {
            // Logged by the server as a refusal with this text; the client shows it too.
            return TftpReadResult.Refused(TftpErrorCode.NotDefined, $"template error: {ex.Message}");
        }
    }
}
