using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Users;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

/// <summary>Changing one's own password (viewers too).</summary>
public sealed class AccountModel(UserService users) : PageModel
{
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Password != Repeat)
        {
            ModelState.AddModelError(nameof(Repeat), "the two new passwords differ");
            return Page();
        }
        try
        {
            await users.ChangePasswordAsync(User.Identity!.Name!, Current ?? string.Empty, Password ?? string.Empty, cancellationToken);
        }
        catch (InventoryException refused)
        {
            foreach (FieldError error in refused.Errors)
            {
                ModelState.AddModelError(error.Field == "current" ? nameof(Current) : nameof(Password), error.Message);
            }
            return Page();
        }
        // Every session of this account ended with the old password; this one goes on with the new.
        if (await users.FindAsync(User.Identity!.Name!, cancellationToken) is { } changed)
        {
            await UiSessions.SignInAsync(HttpContext, changed);
        }
        Message = "Password changed.";
        return Redirect("/account");
    }
}
