using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Templates;

/// <summary>
/// Renders a template for people to read (the host page, the templates page): with the build token
/// and the secrets replaced by <see cref="Hidden"/>, and without counting as a fetch by the host.
/// </summary>
public sealed class TemplatePreview(TemplateStore templates, IOptions<PreseedOptions> secrets, IOptions<Builds.InstallerLogOptions>? logs = null)
{
    public const string Hidden = "********";

    /// <summary>The text, or <see cref="TemplateException"/> with file and line.</summary>
    public ValueTask<string> RenderAsync(string file, HostRecord? host, string baseUrl)
    {
        var masked = new PreseedOptions { RootPasswordHash = string.IsNullOrEmpty(secrets.Value.RootPasswordHash) ? string.Empty : Hidden };
        var urls = new BuildUrls(baseUrl, host is null ? null : Hidden) { LogPort = logs?.Value.Port };
        return templates.RenderAsync(file, host is null ? TemplateModel.ForServer(urls, masked) : TemplateModel.ForHost(host, urls, masked));
    }
}
