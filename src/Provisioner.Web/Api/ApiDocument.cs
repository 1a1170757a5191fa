using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Provisioner.Web.Api;

/// <summary>
/// The REST API described as OpenAPI 3.1 at <c>GET /openapi/v1.json</c>, generated from the endpoints
/// themselves (their routes, parameters and typed results), so it cannot drift from what is served.
/// Only <c>/api/…</c> is described: boot files, preseeds and callbacks are for machines, not API clients.
/// The document is anonymous; every operation in it needs a bearer token.
/// </summary>
internal static class ApiDocument
{
    public const string Name = "v1";
    private const string Scheme = "bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Provisioner API",
                    Version = Name,
                    Description = "Hosts, groups, builds, imports, discovered machines, tokens and SSH keys. "
                        + "Every call needs 'Authorization: Bearer <token>' (provisioner token create).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [Scheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = Scheme, Description = "An API token from 'provisioner token create' (listed and revoked on the Users page)." },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
