using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Users;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

public sealed class LoginModel(UserService users, TimeProvider time) : PageModel
{
    /// <summary>Every failed sign-in waits this long before it is answered, to slow down guessing.</summary>
    public static readonly TimeSpan FailedDelay = TimeSpan.FromSeconds(1);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        UserAccount? user = await users.CheckPasswordAsync(Name ?? string.Empty, Password ?? string.Empty, cancellationToken);
        if (user is null)
        {
            await Task.Delay(FailedDelay, time, cancellationToken);
            Error = "Wrong user name or password.";
            return Page();
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString())], UiRoles.Scheme);
        await HttpContext.SignInAsync(UiRoles.Scheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
