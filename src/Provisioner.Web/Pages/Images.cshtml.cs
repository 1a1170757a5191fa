using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Audit;
using Provisioner.Core.Images;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

/// <summary>OS images: each definition, its built versions and its latest build (live, with its log); admins start builds.</summary>
public sealed class ImagesModel(ImageBuilds builds, AuditTrail audit, TimeProvider time) : PageModel
{
    private const int LogLines = 40;

    public IReadOnlyList<ImageSummary> Images { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public void OnGet() => Images = builds.List();

    /// <summary>The end of the latest build's log.</summary>
    public IReadOnlyList<string> LogTail(string name)
    {
        try
        {
            return System.IO.File.ReadLines(builds.Store.LogFile(name)).TakeLast(LogLines).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Admins only (<see cref="AdminWritesFilter"/>).</summary>
    public async Task<IActionResult> OnPostBuildAsync(string name)
    {
        string? refused = await builds.BeginAsync(name);
        if (refused is null)
        {
            await audit.RecordAsync(time.GetUtcNow(), AuditActions.ImageBuild, name, null, HttpContext.RequestAborted);
        }
        Message = refused ?? $"Build of {name} started.";
        return Redirect("/images");
    }
}
