using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Web;

/// <summary>
/// <c>GET /healthz</c>: 200 once TFTP and HTTP are both listening and the inventory answers queries;
/// 503 before, and while the inventory fails (status <c>database</c>, with the reason).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Get);
        return app;
    }

    internal sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Listening, string Database);

    internal static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Get(ListenerStatus status, InventoryHealth inventory, CancellationToken cancellationToken)
    {
        var listening = new Dictionary<string, string>(status.Listening, StringComparer.Ordinal);
        if (!status.IsHealthy)
        {
            return TypedResults.Json(new HealthReport("starting", listening, "not checked"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return await inventory.ProblemAsync(cancellationToken).ConfigureAwait(false) is { } problem
            ? TypedResults.Json(new HealthReport("database", listening, problem), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthReport("ok", listening, "ok"));
    }
}
