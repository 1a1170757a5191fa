using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Users;

namespace Provisioner.Web.Ui;

/// <summary>
/// Web UI sessions speak for an account only while it is as it was at sign-in: each cookie carries
/// the account's <see cref="SessionStamp"/>, checked on every request, so a password change, a role
/// change or a removed account ends the sessions opened before it (they outlived all three, and
/// restarts, before).
/// </summary>
internal static class UiSessions
{
    public static ClaimsPrincipal PrincipalFor(UserAccount user) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString()), new Claim(SessionStamp.ClaimType, SessionStamp.Of(user))],
            UiRoles.Scheme));

    /// <summary>Signs <paramref name="user"/> in on this request (after sign-in, and again after changing one's own password).</summary>
    public static Task SignInAsync(HttpContext context, UserAccount user) => context.SignInAsync(UiRoles.Scheme, PrincipalFor(user));

    /// <summary>The cookie handler's check of each request's session.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        string? name = context.Principal?.Identity?.Name;
        string? stamp = context.Principal?.FindFirst(SessionStamp.ClaimType)?.Value;
        UserService users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        if (name is null || stamp is null || !await users.SessionIsCurrentAsync(name, stamp, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(UiRoles.Scheme).ConfigureAwait(false);
        }
    }
}
