using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Provisioner.Web.Ui;

internal static class UiServiceCollectionExtensions
{
    /// <summary>How long a sign-in lasts without use.</summary>
    public static readonly TimeSpan SessionIdle = TimeSpan.FromHours(8);

    /// <summary>Razor Pages, cookie sign-in and its policies, antiforgery on every form.</summary>
    public static AuthenticationBuilder AddProvisionerUi(this IServiceCollection services, AuthenticationBuilder authentication)
    {
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", UiRoles.SignedIn);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AuthorizePage("/Users", UiRoles.AdminsOnly);
        })
            // The pages live in this library, not in the entry assembly where discovery looks.
            .AddApplicationPart(typeof(UiServiceCollectionExtensions).Assembly)
            .AddMvcOptions(o =>
            {
                o.Filters.Add<AdminWritesFilter>();
                o.Filters.Add<LiveRequestFilter>();
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "provisioner.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(UiRoles.SignedIn, p => p.AddAuthenticationSchemes(UiRoles.Scheme).RequireAuthenticatedUser())
            .AddPolicy(UiRoles.AdminsOnly, p => p.AddAuthenticationSchemes(UiRoles.Scheme).RequireRole(UiRoles.Admin));
        return authentication.AddCookie(UiRoles.Scheme, o =>
        {
            o.Cookie.Name = "provisioner.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = SessionIdle;
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.Events.OnValidatePrincipal = UiSessions.ValidateAsync;
            o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
    }

    /// <summary>
    /// Pages send people to the sign-in page, or a viewer to a page saying the one asked for is an
    /// admin's (answered 403); the event stream and fragments fetched by script get a bare status.
    /// </summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path != "/live")
        {
            context.Response.Redirect(status == StatusCodes.Status401Unauthorized
                ? context.RedirectUri
                : "/forbidden?from=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path));
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(status == StatusCodes.Status403Forbidden ? AdminWritesFilter.Denied : "401 Unauthorized: sign in at /login\n");
    }

    public static WebApplication MapProvisionerUi(this WebApplication app)
    {
        app.MapAssets();
        app.MapLive();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Headers that keep the pages from being framed, sniffed or made to run outside scripts.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            IHeaderDictionary headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            return next(context);
        });
        return app;
    }
}
