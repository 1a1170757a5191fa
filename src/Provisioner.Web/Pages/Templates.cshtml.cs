using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Boot;

namespace Provisioner.Web.Pages;

/// <summary>The template files, read-only, each with a preview rendered for a chosen host (or template errors with file and line).</summary>
public sealed class TemplatesModel(TemplateStore templates, TemplatePreview preview, HostService hosts) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "file")]
    public string? Selected { get; set; }

    /// <summary>The host to render for: id, MAC (any spelling) or hostname, typed; a list of 100,000 would not fit a page.</summary>
    [BindProperty(SupportsGet = true, Name = "host")]
    public string? HostKey { get; set; }

    /// <summary>The host <see cref="HostKey"/> names; null when it names none.</summary>
    public HostRecord? Host { get; private set; }

    public IReadOnlyList<string> Files { get; private set; } = [];

    public string? Source { get; private set; }

    public string? Preview { get; private set; }

    public TemplateException? Error { get; private set; }

    public string TemplatesDir => templates.Root;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Files = templates.ListFiles();
        Host = string.IsNullOrWhiteSpace(HostKey) ? null : await hosts.FindAsync(HostKey, cancellationToken);
        Selected ??= Files.Count > 0 ? Files[0] : null;
        if (Selected is null)
        {
            return Page();
        }
        Source = templates.Source(Selected);
        if (Source is null)
        {
            return NotFound();
        }
        try
        {
            Preview = await preview.RenderAsync(Selected, Host, RequestClient.BaseUrl(HttpContext));
        }
        catch (TemplateException broken)
        {
            Error = broken;
        }
        return Page();
    }
}
