using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

/// <summary>Signing out is a POST (with the antiforgery token), so no link or image can sign anyone out.</summary>
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(UiRoles.Scheme);
        return LocalRedirect("/login");
    }
}
