using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Provisioner.Core.Metrics;

namespace Provisioner.Web;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format, anonymous like <c>/healthz</c> (scrapers carry
/// no session; the figures name no host), and request counts and durations for every HTTP endpoint.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>Before the endpoints: counts each request by route pattern, method and status class.</summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        ApplianceMetrics metrics = app.Services.GetRequiredService<ApplianceMetrics>();
        app.UseHttpMetrics(o =>
        {
            o.SetMetricFactory(metrics.Factory);
            // 2xx/4xx/5xx rather than every code: a scanner's odd codes must not grow the series.
            o.ReduceStatusCodeCardinality();
        });
        return app;
    }

    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        app.MapMetrics(Path, app.ServiceProvider.GetRequiredService<ApplianceMetrics>().Registry);
        return app;
    }
}
