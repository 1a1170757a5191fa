using System.Net;
using System.Text;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core.Boot;

/// <summary>
/// TFTP for the appliance: names under <c>pxelinux.cfg/</c> (pxelinux, syslinux.efi) and
/// <c>grub/grub.cfg…</c> (GRUB) are rendered per host, everything else comes from the boot files.
/// Those config names belong to the appliance; files of that name in the boot dir are not served.
/// </summary>
internal sealed class ConfigTftpHandler(BootTftpHandler files, BootConfigs configs, ApplianceUrls urls) : ITftpHandler
{
    private const string GrubConfig = "grub/grub.cfg";

    public async ValueTask<TftpReadResult> OpenAsync(string path, IPEndPoint peer, IPAddress local, CancellationToken cancellationToken)
    {
        // GRUB asks for "/grub/grub.cfg-01-…"; one leading slash means the boot dir (see BootPath).
        string relative = path.StartsWith('/') ? path[1..] : path;
        (BootLoader? loader, string name) = relative switch
        {
            _ when relative.StartsWith(BootConfigs.Directory, StringComparison.Ordinal) => (BootLoader.Pxelinux, relative[BootConfigs.Directory.Length..]),
            _ when relative.StartsWith(GrubConfig, StringComparison.Ordinal) => (BootLoader.Grub, relative["grub/".Length..]),
            _ => ((BootLoader?)null, string.Empty),
        };
        if (loader is null)
        {
            return await files.OpenAsync(path, peer, local, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            string? config = await configs.RenderAsync(loader, name, urls.BaseFor(local), cancellationToken).ConfigureAwait(false);
            // UUID and hex-IP names, and MACs we do not know, miss at once so the loader moves on to its default.
            return config is null
                ? TftpReadResult.NotFound($"{relative}: no such file")
                : TftpReadResult.Found(new MemoryTftpSource(Encoding.UTF8.GetBytes(config)));
        }
        catch (TemplateException ex)
        {
            // Logged by the server as a refusal with this text; the client shows it too.
            return TftpReadResult.Refused(TftpErrorCode.NotDefined, $"template error: {ex.Message}");
        }
    }
}
