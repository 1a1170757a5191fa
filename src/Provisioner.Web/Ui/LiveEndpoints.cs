using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Provisioner.Web.Ui;

/// <summary>
/// <c>GET /live</c>: Server-Sent Events telling open pages what changed, so they fetch their live
/// parts again (ui.js). What is said, and when, is <see cref="LiveFeed"/>'s: the events carry ids,
/// never data, so what a page shows is always rendered (and escaped) by the page itself, with the
/// viewer's own permissions.
/// </summary>
internal static class LiveEndpoints
{
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live", StreamAsync).RequireAuthorization(UiRoles.SignedIn);
        return app;
    }

    private static async Task StreamAsync(HttpContext context, LiveFeed feed, IHostApplicationLifetime lifetime)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // Tell reverse proxies (nginx) not to buffer the stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // Ends when the page goes away or the appliance stops: an open stream must not hold up shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        CancellationToken stopping = linked.Token;
        try
        {
            await context.Response.WriteAsync(": connected\n\n", stopping).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(stopping).ConfigureAwait(false);
            await foreach (string message in feed.ListenAsync(stopping).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(message, stopping).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
