using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Users;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

public sealed class LoginModel(UserService users, SignInThrottle throttle, TimeProvider time) : PageModel
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
        string name = Name ?? string.Empty;
        string address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        if (throttle.IsLimited(name, address))
        {
            // No hash is computed: a guesser costs nothing more once it has used its tries.
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = "Too many failed sign-ins for this user or from this address: wait a minute and try again.";
            return Page();
        }
        UserAccount? user = await users.CheckPasswordAsync(name, Password ?? string.Empty, cancellationToken);
        if (user is null)
        {
            throttle.Failed(name, address);
            await Task.Delay(FailedDelay, time, cancellationToken);
            Error = "Wrong user name or password.";
            return Page();
        }
        await UiSessions.SignInAsync(HttpContext, user);
        string next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
        // A password someone else chose (the first admin's file, an admin's): ask for the user's own first.
        return LocalRedirect(user.MustChangePassword ? AccountModel.PromptUrl(next) : next);
    }
}
