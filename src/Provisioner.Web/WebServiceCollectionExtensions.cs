using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core;
using Provisioner.Web.Api;
using Provisioner.Web.Boot;
using Provisioner.Web.Ui;

namespace Provisioner.Web;

public static class WebServiceCollectionExtensions
{
    private const string ApiPolicy = "api";

    /// <summary>The HTTP side: health, boot files and configs, preseeds, callbacks, the API and the web UI.</summary>
    public static IServiceCollection AddProvisionerWeb(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.AddHostedService<HttpListenerStatus>();
        services.AddProblemDetails();
        // Malformed JSON and wrong content types reach ErrorHandlers as exceptions, so they get problem details too.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorHandlers>();
        AuthenticationBuilder authentication = services.AddAuthentication(UiRoles.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddProvisionerUi(authentication);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Error handling and authentication, then every endpoint.</summary>
    public static WebApplication UseProvisionerWeb(this WebApplication app)
    {
        app.UseRequestLogScope();
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseRequestMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        app.MapPrometheusMetrics();
        app.MapBootFiles();
        app.MapBootConfigs();
        app.MapPreseeds();
        app.MapCallbacks();
        RouteGroupBuilder api = app.MapGroup("/api").RequireAuthorization(ApiPolicy);
        api.MapHostApi();
        api.MapImportApi();
        api.MapDiscoveredApi();
        api.MapBindingApi();
        app.MapProvisionerUi();
        return app;
    }
}
