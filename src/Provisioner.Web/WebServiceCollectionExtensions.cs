using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core;
using Provisioner.Web.Api;
using Provisioner.Web.Boot;
using Provisioner.Web.Deploy;
using Provisioner.Web.Images;
using Provisioner.Web.Mirror;
using Provisioner.Web.Ui;

namespace Provisioner.Web;

public static class WebServiceCollectionExtensions
{
    private const string ApiPolicy = "api";

    /// <summary>
    /// Largest request body read anywhere unless an endpoint raises it (the import: 16 MiB) or lowers it
    /// (callbacks: 16 KiB). Kestrel's own default is 30 MB, which every JSON and form endpoint would
    /// otherwise read for anyone. 1 MiB: a host's JSON is under 4 KiB.
    /// </summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The HTTP side: health, boot files and configs, preseeds, callbacks, the API and the web UI.</summary>
    public static IServiceCollection AddProvisionerWeb(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.AddPackageMirror();
        services.AddImages();
        services.AddHostedService(sp => sp.GetRequiredService<Provisioner.Core.Images.ImageBuilds>());
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddHostedService<HttpListenerStatus>();
        services.AddProblemDetails();
        // Malformed JSON and wrong content types reach ErrorHandlers as exceptions, so they get problem details too.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorHandlers>();
        AuthenticationBuilder authentication = services.AddAuthentication(UiRoles.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddProvisionerUi(authentication);
        services.AddApiDocument();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Error handling and authentication, then every endpoint.</summary>
    public static WebApplication UseProvisionerWeb(this WebApplication app)
    {
        app.UseRequestLogScope();
        // Outside the exception handler: the request counters see the status it answered with (a 413
        // from an oversized import was counted as 2xx when they ran inside it and the exception passed them).
        app.UseRequestMetrics();
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAuditActor();
        app.MapHealth();
        app.MapPrometheusMetrics();
        app.MapBootFiles();
        app.MapBootConfigs();
        app.MapPreseeds();
        app.MapCallbacks();
        app.MapDeploys();
        app.MapPackageMirror();
        app.MapImageFiles();
        RouteGroupBuilder api = app.MapGroup("/api").RequireAuthorization(ApiPolicy);
        api.MapHostApi();
        api.MapGroupApi();
        api.MapImportApi();
        api.MapDiscoveredApi();
        api.MapBindingApi();
        api.MapTokenApi();
        api.MapKeyApi();
        api.MapPowerApi();
        api.MapAuditApi();
        api.MapDhcpLeaseApi();
        app.MapApiDocument();
        app.MapProvisionerUi();
        return app;
    }
}
