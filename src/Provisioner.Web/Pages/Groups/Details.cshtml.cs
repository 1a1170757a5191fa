using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Groups;

/// <summary>One group: its fields, edited in place (a change that does not fit a member is refused naming it), and delete.</summary>
public sealed class DetailsModel(HostGroupService groups, IProfileCatalog templates) : PageModel
{
    [BindProperty]
    public GroupForm Form { get; set; } = new();

    public HostGroupSummary Group { get; private set; } = null!;

    public IReadOnlyList<string> Profiles => templates.List();

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Form = GroupForm.From(Group.Group);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await groups.UpdateAsync(id, Form.ToFields(), partial: false, cancellationToken);
            Message = "Saved; its hosts were worked out again.";
            return Redirect($"/groups/{id}");
        }
        catch (InventoryException refused) when (refused.Kind != InventoryErrorKind.NotFound)
        {
            // A change that does not fit a member names the host: it goes to the summary, the rest beside their fields.
            UiErrors.Show(ModelState, nameof(Form), new InventoryException(refused.Kind, [.. refused.Errors.Select(e => e.Field.StartsWith("host ", StringComparison.Ordinal) ? new FieldError("", $"{e.Field}: {e.Message}") : e)]));
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await groups.DeleteAsync(id, cancellationToken);
            return Redirect("/groups");
        }
        catch (InventoryException refused)
        {
            Message = string.Join(' ', refused.Errors.Select(e => e.Message));
            return Redirect($"/groups/{id}");
        }
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        HostGroupSummary? found = await groups.FindWithCountAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        Group = found!;
        return found is not null;
    }
}
