using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Groups;

/// <summary>Host groups: the list with member counts, and (for admins) the form that adds one.</summary>
public sealed class IndexModel(HostGroupService groups, IProfileCatalog templates) : PageModel
{
    [BindProperty]
    public GroupForm Form { get; set; } = new();

    public List<HostGroupSummary> Groups { get; private set; } = [];

    public IReadOnlyList<string> Profiles => templates.List();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Groups = await groups.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            HostGroup group = await groups.CreateAsync(Form.ToFields(), cancellationToken);
            Message = $"Group {group.Name} added.";
            return Redirect($"/groups/{group.Id}");
        }
        catch (InventoryException refused)
        {
            UiErrors.Show(ModelState, nameof(Form), refused);
            Groups = await groups.ListAsync(cancellationToken);
            return Page();
        }
    }
}
