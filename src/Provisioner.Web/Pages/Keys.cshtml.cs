using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Access;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Pages;

/// <summary>The site's SSH keys: everyone signed in sees them (they are public keys); admins add and remove them.</summary>
public sealed class KeysModel(SshKeys keys) : PageModel
{
    [BindProperty]
    public string? Key { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public List<SshKeyInfo> Keys { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            List<SshKeyInfo> added = await keys.AddAsync(Key ?? string.Empty, Name, cancellationToken);
            Message = added.Count == 1 ? $"Key {added[0].Name} ({added[0].Fingerprint}) added." : $"{added.Count} keys added.";
            return Redirect("/keys");
        }
        catch (InventoryException refused)
        {
            foreach (FieldError error in refused.Errors)
            {
                ModelState.AddModelError(error.Field == "name" ? nameof(Name) : nameof(Key), error.Message);
            }
            Keys = await keys.ListAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await keys.RemoveAsync(id, cancellationToken);
            Message = $"Key {id} removed; hosts installed from now on do not get it.";
        }
        catch (InventoryException refused)
        {
            Message = string.Join(' ', refused.Errors.Select(e => e.Message));
        }
        return Redirect("/keys");
    }
}
