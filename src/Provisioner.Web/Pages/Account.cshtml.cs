using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Users;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

/// <summary>
/// Changing one's own password (viewers too). After signing in with a password someone else set
/// (<see cref="UserAccount.MustChangePassword"/>), sign-in lands here first and the page asks for a
/// new one, with a way on to where the user was going.
/// </summary>
public sealed class AccountModel(UserService users) : PageModel
{
    /// <summary>Where sign-in sends a user whose password was set for them, <paramref name="next"/> kept.</summary>
    public static string PromptUrl(string next) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/account", "returnUrl", next);

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The password was set by someone else: the page asks for the user's own.</summary>
    public bool MustChange { get; private set; }

    /// <summary>Where "not now" and a successful change lead: the page the user was going to, else this one.</summary>
    public string Next => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        MustChange = (await users.FindAsync(User.Identity!.Name!, cancellationToken))?.MustChangePassword == true;

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
            await OnGetAsync(cancellationToken);
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
            await OnGetAsync(cancellationToken);
            return Page();
        }
        // Every session of this account ended with the old password; this one goes on with the new.
        if (await users.FindAsync(User.Identity!.Name!, cancellationToken) is { } changed)
        {
            await UiSessions.SignInAsync(HttpContext, changed);
        }
        Message = "Password changed.";
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account");
    }
}
