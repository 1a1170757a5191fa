using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Provisioner.Web.Pages;

/// <summary>
/// Where a signed-in viewer lands who opened an admin's page: a page in the site's look, answered
/// with 403, naming what was asked for (<c>from</c>, a path on this site only) and why.
/// </summary>
public sealed class ForbiddenModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    public void OnGet()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        // Only a path of this site is named back: nothing a link could smuggle in.
        if (From is not { Length: > 1 } || From[0] != '/' || From[1] == '/' || From[1] == '\\' || From.Length > 200)
        {
            From = null;
        }
    }
}
