using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;

namespace Provisioner.Web.Boot;

/// <summary>
/// Installer callbacks, <c>/build/{token}/{early|late|finished|failed}</c>, and the installed
/// system's one <c>booted</c> report from its first boot from disk. GET as well as POST:
/// d-i's busybox wget is what calls, from <c>preseed/early_command</c> and <c>late_command</c>.
/// A message comes as <c>?message=</c> or a form field. Anything but 2xx stops d-i at a critical
/// dialog, so only a wrong token or kind gets an error.
/// </summary>
public static class CallbackEndpoints
{
    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/build/{token}/{kind:regex(^(early|late|finished|failed|booted)$)}", [HttpMethods.Get, HttpMethods.Post], Call);
        return app;
    }

    /// <summary>Largest callback body read: a form with a one-line message. Default installers send none.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    internal static async Task<ContentHttpResult> Call(string token, string kind, HttpContext context, BuildTracker tracker, CancellationToken cancellationToken)
    {
        // The token first: an anonymous body (25 MB were once spooled to disk before the 404) is
        // never read for a token no build has.
        if (await tracker.HostWithTokenAsync(token, cancellationToken).ConfigureAwait(false) is not { } hostId)
        {
            return NoBuild;
        }
        if (await ReadFieldAsync(context, "message", cancellationToken).ConfigureAwait(false) is not (true, var message))
        {
            return PlainText.TooLarge($"a callback body is at most {MaxBodyBytes} bytes\n");
        }
        CallbackKind callback = Enum.Parse<CallbackKind>(kind, ignoreCase: true);
        return await tracker.CallbackAsync(hostId, callback, message, cancellationToken).ConfigureAwait(false)
            ? PlainText.Ok("ok\n")
            : NoBuild;
    }

    /// <summary>
    /// A field of a callback, from the query (<c>?message=</c>) or a form body of at most
    /// <see cref="MaxBodyBytes"/>; false when the body is larger (the caller answers 413).
    /// </summary>
    internal static async Task<(bool Read, string? Value)> ReadFieldAsync(HttpContext context, string name, CancellationToken cancellationToken)
    {
        string? value = context.Request.Query[name].FirstOrDefault();
        if (value is not null || !context.Request.HasFormContentType)
        {
            return (true, value);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            IFormCollection form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            return (true, form[name].FirstOrDefault());
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (false, null);
        }
    }

    internal static ContentHttpResult NoBuild => PlainText.NotFound("no build has this token\n");
}
