using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provisioner.Core.Audit;
using Provisioner.Web.Api;

namespace Provisioner.Web;

/// <summary>
/// Sets the request's <see cref="AuditContext"/> from who it was authenticated as: a signed-in user
/// (<c>web</c>) or an API token by its name (<c>api</c>). Runs after authorization, which is where an
/// API route's bearer scheme puts its principal on the request.
/// </summary>
internal static class AuditActorMiddleware
{
    public static IApplicationBuilder UseAuditActor(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (ActorOf(context.User) is not { } actor)
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            using (AuditContext.Begin(actor))
            {
                await next(context).ConfigureAwait(false);
            }
        });

    internal static Actor? ActorOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } identity
            ? new Actor(Actor.Cut(name), identity.AuthenticationType == BearerTokenHandler.SchemeName ? Actor.Api : Actor.Web)
            : null;
}
