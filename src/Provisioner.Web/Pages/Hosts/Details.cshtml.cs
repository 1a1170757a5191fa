using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Audit;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Boot;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>One host: fields (edited in place), live build status and timeline, power and BMC (posted to <see cref="PowerModel"/>), rendered config and preseed, build/cancel/delete.</summary>
public sealed class DetailsModel(HostService hosts, BuildTracker tracker, IProfileCatalog templates, TemplatePreview preview, TransfersInFlight transfers, InstallerLogs logs,
    Core.Boot.ProfileBootFiles bootFiles, HostGroupService groups, AuditTrail audit, Core.Power.BmcService bmcs, Core.Power.PowerReadings readings) : PageModel
{
    /// <summary>Installer log lines shown (and live-tailed) on the page; the download has them all.</summary>
    public const int LogTail = 200;

    public List<InstallerLogLine> Log { get; private set; } = [];

    [BindProperty]
    public HostForm Form { get; set; } = new();

    public HostRecord Host { get; private set; } = null!;

    /// <summary>The build's steps and the host's changes (who made them), newest first.</summary>
    public List<TimelineItem> Timeline { get; private set; } = [];

    public IReadOnlyList<TransferProgress> Transfers { get; private set; } = [];

    /// <summary>The host's BMC and last power reading, for the power card.</summary>
    public (Core.Power.BmcInfo? Bmc, Core.Power.PowerReading? Reading) Power { get; private set; }

    public IReadOnlyList<string> Profiles => templates.List();

    public IReadOnlyList<string> Groups { get; private set; } = [];

    /// <summary>What the host's pxelinux config and preseed look like with its profile, or the template error.</summary>
    public (string File, string Text, bool Failed)[] Rendered { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    /// <summary>What the last request should have gone differently about (a build whose profile lacks boot files).</summary>
    [TempData]
    public string? Warning { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Form = HostForm.From(Host);
        return Page();
    }

    /// <summary>The whole installer log of the current or last build as a text file with arrival times.</summary>
    public async Task<IActionResult> OnGetLogAsync(int id, CancellationToken cancellationToken)
    {
        if (await hosts.FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is not { } host)
        {
            return NotFound();
        }
        string text = InstallerLogs.Format(await logs.ReadAsync(id, tail: null, cancellationToken));
        return File(System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"{host.Hostname}-installer.log");
    }

    public async Task<IActionResult> OnPostSaveAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await hosts.UpdateAsync(id, Form.ToFields(), partial: false, cancellationToken);
            Message = "Saved.";
            return Redirect($"/hosts/{id}");
        }
        catch (InventoryException refused) when (refused.Kind != InventoryErrorKind.NotFound)
        {
            UiErrors.Show(ModelState, nameof(Form), refused);
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostBuildAsync(int id, CancellationToken cancellationToken)
    {
        HostRecord? host = null;
        IActionResult result = await ChangeAsync(id, async () => host = await tracker.RequestBuildAsync(id, EventSources.Web, cancellationToken), "Build requested: the host installs at its next PXE boot.");
        if (host is not null)
        {
            IReadOnlyList<string> warnings = await bootFiles.BuildWarningsAsync(host.Profile);
            Warning = warnings.Count > 0 ? string.Join(" ", warnings.Select(w => w + ".")) : null;
        }
        return result;
    }

    public Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => tracker.CancelBuildAsync(id, EventSources.Web, cancellationToken), "Build cancelled: the host boots from local disk.");

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await hosts.DeleteAsync(id, cancellationToken);
        }
        catch (InventoryException)
        {
            // Already gone: the outcome the operator wanted.
        }
        return Redirect("/hosts");
    }

    private async Task<IActionResult> ChangeAsync(int id, Func<Task<HostRecord>> change, string message)
    {
        try
        {
            await change();
        }
        catch (InventoryException)
        {
            return NotFound();
        }
        Message = message;
        return Redirect($"/hosts/{id}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        if (await hosts.FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is not { } host)
        {
            return false;
        }
        Host = host;
        Groups = await NewModel.GroupNamesAsync(groups, cancellationToken);
        Timeline = TimelineItem.Merge(await tracker.TimelineAsync(id, cancellationToken), await audit.ForHostAsync(id, cancellationToken));
        Transfers = transfers.List(id);
        Power = (await bmcs.GetAsync(id, cancellationToken), readings.Of(id));
        Log = await logs.ReadAsync(id, LogTail, cancellationToken);
        string baseUrl = RequestClient.BaseUrl(HttpContext);
        // An image profile has one boot config for every image and no preseed (cloud-init's data is made per build).
        Rendered = Core.Deploy.ImageProfiles.IsImage(host.Profile)
            ? [await RenderAsync(TemplateStore.PxelinuxFile(Core.Deploy.ImageProfiles.Template), baseUrl)]
            : [await RenderAsync(TemplateStore.PxelinuxFile(host.Profile), baseUrl), await RenderAsync(TemplateStore.PreseedFile(host.Profile), baseUrl)];
        return true;
    }

    private async Task<(string, string, bool)> RenderAsync(string file, string baseUrl)
    {
        try
        {
            return (file, await preview.RenderAsync(file, Host, baseUrl), false);
        }
        catch (TemplateException broken)
        {
            return (file, broken.Message, true);
        }
    }
}
