using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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

    /// <summary>The method label's value for any method outside <see cref="KnownMethods"/>.</summary>
    public const string OtherMethod = "OTHER";

    /// <summary>RFC 9110 §9's methods: the only method names a label may take; no endpoint here answers any other.</summary>
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete,
        HttpMethods.Connect, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Patch,
    };

    /// <summary>
    /// Before the endpoints: counts each request by route pattern, method and status class. No label
    /// takes a value a client chose: an unmatched path has no route pattern, and a made-up method
    /// (5,000 of them once made a 432 MB scrape) is folded into <see cref="OtherMethod"/> before
    /// anything sees it, so it is answered 405/404 like any method nothing serves.
    /// </summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        ApplianceMetrics metrics = app.Services.GetRequiredService<ApplianceMetrics>();
        app.Use((context, next) =>
        {
            if (!KnownMethods.Contains(context.Request.Method))
            {
                context.Request.Method = OtherMethod;
            }
            return next(context);
        });
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
