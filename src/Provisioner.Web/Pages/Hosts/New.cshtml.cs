using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>Registers one host; a refused field is shown next to the field and nothing is saved.</summary>
public sealed class NewModel(HostService hosts, HostGroupService groups, IProfileCatalog templates) : PageModel
{
    [BindProperty]
    public HostForm Form { get; set; } = new();

    public IReadOnlyList<string> Profiles => templates.List();

    public IReadOnlyList<string> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Groups = await GroupNamesAsync(groups, cancellationToken);

    internal static async Task<IReadOnlyList<string>> GroupNamesAsync(HostGroupService groups, CancellationToken cancellationToken) =>
        [.. (await groups.ListAsync(cancellationToken)).Select(g => g.Group.Name)];

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            HostRecord host = await hosts.CreateAsync(Form.ToFields(), cancellationToken);
            return Redirect($"/hosts/{host.Id}");
        }
        catch (InventoryException refused)
        {
            UiErrors.Show(ModelState, nameof(Form), refused);
            Groups = await GroupNamesAsync(groups, cancellationToken);
            return Page();
        }
    }
}
