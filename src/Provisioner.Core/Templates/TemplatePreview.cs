using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Templates;

/// <summary>
/// Renders a template for people to read (the host page, the templates page): with the build token
/// and the secrets replaced by <see cref="Hidden"/>, and without counting as a fetch by the host.
/// </summary>
public sealed class TemplatePreview(TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<Builds.InstallerLogOptions>? logs = null, Access.SshKeys? keys = null)
{
    public const string Hidden = "********";

    /// <summary>The text, or <see cref="TemplateException"/> with file and line.</summary>
    public async ValueTask<string> RenderAsync(string file, HostRecord? host, string baseUrl)
    {
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
        return await templates.RenderAsync(file, host is null ? TemplateModel.ForServer(urls, masked) : TemplateModel.ForHost(host, urls, masked)).ConfigureAwait(false);
    }
}
