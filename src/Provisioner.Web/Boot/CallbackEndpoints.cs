using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;

namespace Provisioner.Web.Boot;

/// <summary>
/// Installer callbacks, <c>/build/{token}/{early|late|finished|failed}</c>. GET as well as POST:
/// d-i's busybox wget is what calls, from <c>preseed/early_command</c> and <c>late_command</c>.
/// A message comes as <c>?message=</c> or a form field. Anything but 2xx stops d-i at a critical
/// dialog, so only a wrong token or kind gets an error.
/// </summary>
public static class CallbackEndpoints
{
    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/build/{token}/{kind:regex(^(early|late|finished|failed)$)}", [HttpMethods.Get, HttpMethods.Post], Call);
        return app;
    }

    internal static async Task<ContentHttpResult> Call(string token, string kind, HttpContext context, BuildTracker tracker, CancellationToken cancellationToken)
    {
        string? message = context.Request.Query["message"].FirstOrDefault();
        if (message is null && context.Request.HasFormContentType)
        {
            IFormCollection form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            message = form["message"].FirstOrDefault();
        }
        CallbackKind callback = Enum.Parse<CallbackKind>(kind, ignoreCase: true);
        return await tracker.CallbackAsync(token, callback, message, cancellationToken).ConfigureAwait(false)
            ? PlainText.Ok("ok\n")
            : PlainText.NotFound("no build has this token\n");
    }
}
