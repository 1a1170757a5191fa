using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>Registers one host; a refused field is shown next to the field and nothing is saved.</summary>
public sealed class NewModel(HostService hosts, TemplateStore templates) : PageModel
{
    [BindProperty]
    public HostForm Form { get; set; } = new();

    public IReadOnlyList<string> Profiles => templates.List();

    public void OnGet() => Form.Profile ??= Profiles.Count > 0 ? Profiles[0] : null;

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
            return Page();
        }
    }
}
