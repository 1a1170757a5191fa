using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;

namespace Provisioner.Web.Boot;

/// <summary>
/// Preseeds: <c>/build/{token}/preseed</c> (the URL in the host's boot config) and the generic
/// <c>/preseed</c>, <c>/preseed/{profile}</c>, which find the host from the requester's address.
/// </summary>
public static class PreseedEndpoints
{
    public static IEndpointRouteBuilder MapPreseeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/build/{token}/preseed", ByToken);
        app.MapGet("/preseed", (HttpContext context, Preseeds preseeds, CancellationToken ct) => ByRequester(null, context, preseeds, ct));
        app.MapGet("/preseed/{profile}", ByRequester);
        return app;
    }

    internal static async Task<ContentHttpResult> ByToken(string token, HttpContext context, Preseeds preseeds, CancellationToken cancellationToken) =>
        Answer(await preseeds.ForTokenAsync(token, RequestClient.Address(context), RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false));

    internal static async Task<ContentHttpResult> ByRequester(string? profile, HttpContext context, Preseeds preseeds, CancellationToken cancellationToken) =>
        Answer(await preseeds.ForRequesterAsync(RequestClient.Address(context), profile, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false));

    private static ContentHttpResult Answer(PreseedResult result) =>
        result.Text is null
            ? PlainText.NotFound(result.Reason + "\n")
            : PlainText.Ok(result.Text);
}
