using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core;

namespace Provisioner.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The HTTP side: health and boot files (UI and API come with their issues).</summary>
    public static IServiceCollection AddProvisionerWeb(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.AddHostedService<HttpListenerStatus>();
        return services;
    }

    public static IEndpointRouteBuilder MapProvisionerWeb(this IEndpointRouteBuilder app)
    {
        app.MapHealth();
        app.MapBootFiles();
        return app;
    }
}
