using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Hosting;

namespace Provisioner.Web;

/// <summary><c>GET /healthz</c>: 200 once TFTP and HTTP are both listening, 503 before.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Get);
        return app;
    }

    internal sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Listening);

    internal static Results<Ok<HealthReport>, JsonHttpResult<HealthReport>> Get(ListenerStatus status)
    {
        var listening = new Dictionary<string, string>(status.Listening, StringComparer.Ordinal);
        return status.IsHealthy
            ? TypedResults.Ok(new HealthReport("ok", listening))
            : TypedResults.Json(new HealthReport("starting", listening), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
