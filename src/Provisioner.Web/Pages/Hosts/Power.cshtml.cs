using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Power;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>
/// The host page's power card posts here: a power action (started in the background, its steps on the
/// timeline), build and power-cycle, or the BMC's settings. Every post goes back to the host page with
/// what happened, or why not. Admins only, as every post of the UI (<see cref="AdminWritesFilter"/>).
/// </summary>
public sealed class PowerModel(BmcService bmcs, PowerJobs jobs, BuildTracker tracker, PowerReadings readings) : PageModel
{
    [BindProperty]
    public BmcForm Bmc { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? Warning { get; set; }

    public IActionResult OnGet(int id) => Redirect($"/hosts/{id}");

    /// <summary><paramref name="action"/>: on, off, cycle, pxe (network boot once, then cycle) or build (a build, then pxe).</summary>
    public async Task<IActionResult> OnPostAsync(int id, string? action, CancellationToken cancellationToken)
    {
        bool build = action == "build";
        if (!PowerActions.TryParse(build ? "pxe" : action, out PowerAction power))
        {
            Warning = $"'{action}' is not a power action.";
            return Back(id);
        }
        if (await bmcs.GetAsync(id, cancellationToken) is null)
        {
            Warning = "This host has no BMC: set its BMC below first.";
            return Back(id);
        }
        try
        {
            if (build)
            {
                await tracker.RequestBuildAsync(id, EventSources.Web, cancellationToken);
            }
        }
        catch (InventoryException)
        {
            return NotFound();
        }
        jobs.Start(id, power);
        Message = build ? "Build requested; the BMC boots the host from the network once and power-cycles it: the timeline shows each step."
            : $"Power {power.Name()} asked of the BMC: the timeline shows each step.";
        return Back(id);
    }

    public async Task<IActionResult> OnPostBmcAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            BmcInfo saved = await bmcs.SetAsync(id, Bmc.ToSettings(), cancellationToken);
            Message = $"BMC saved: {saved.Type} {saved.Address} as {saved.User}.";
        }
        catch (InventoryException refused) when (refused.Kind != InventoryErrorKind.NotFound)
        {
            Warning = "BMC not saved: " + string.Join(" ", refused.Errors.Select(e => e.Message + "."));
        }
        catch (InventoryException)
        {
            return NotFound();
        }
        return Back(id);
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Message = await bmcs.RemoveAsync(id, cancellationToken) ? "BMC removed." : "The host had no BMC.";
            readings.Forget(id);
        }
        catch (InventoryException)
        {
            return NotFound();
        }
        return Back(id);
    }

    private RedirectResult Back(int id) => Redirect($"/hosts/{id}");
}
