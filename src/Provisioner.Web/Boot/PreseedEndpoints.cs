using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;

namespace Provisioner.Web.Boot;

/// <summary>
/// Preseeds: <c>/build/{token}/preseed</c> (the URL in the host's boot config) and the generic
/// <c>/preseed</c>, <c>/preseed/{profile}</c>, which find the host from the requester's address; and
/// the build's finish script, <c>/build/{token}/finish</c>, which the preseed's late_command runs.
/// </summary>
public static class PreseedEndpoints
{
    public static IEndpointRouteBuilder MapPreseeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/build/{token}/preseed", ByToken);
        app.MapGet("/preseed", (HttpContext context, Preseeds preseeds, IEventBus bus, TimeProvider time, CancellationToken ct) => ByRequester(null, context, preseeds, bus, time, ct));
        app.MapGet("/preseed/{profile}", ByRequester);
        app.MapGet("/build/{token}/finish", Finish);
        return app;
    }

    internal static async Task<ContentHttpResult> ByToken(string token, HttpContext context, Preseeds preseeds, IEventBus bus, TimeProvider time, CancellationToken cancellationToken) =>
        Answer(await preseeds.ForTokenAsync(token, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false), context, bus, time);

    internal static async Task<ContentHttpResult> ByRequester(string? profile, HttpContext context, Preseeds preseeds, IEventBus bus, TimeProvider time, CancellationToken cancellationToken) =>
        Answer(await preseeds.ForRequesterAsync(RequestClient.Address(context), profile, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false), context, bus, time);

    internal static async Task<ContentHttpResult> Finish(string token, HttpContext context, FinishScripts scripts, CancellationToken cancellationToken)
    {
        PreseedResult result = await scripts.ForTokenAsync(token, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false);
        return result.Text is { } text ? PlainText.Ok(text) : PlainText.NotFound(result.Reason + "\n");
    }

    private static ContentHttpResult Answer(PreseedResult result, HttpContext context, IEventBus bus, TimeProvider time)
    {
        if (result is not { Text: { } text, Host: { } host })
        {
            return PlainText.NotFound(result.Reason + "\n");
        }
        // Build tracking counts the preseed as fetched once it went out whole.
        System.Net.IPAddress peer = RequestClient.Address(context);
        HttpTransferEvents.WhenEnded(context, System.Text.Encoding.UTF8.GetByteCount(text), delivered =>
        {
            if (delivered)
            {
                bus.Publish(new PreseedSent(time.GetUtcNow(), host.Id, host.BuildToken, peer));
            }
        });
        return PlainText.Ok(text);
    }
}
