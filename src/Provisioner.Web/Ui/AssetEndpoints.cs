using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Provisioner.Web.Ui;

/// <summary>
/// <c>GET /assets/{name}</c>: the UI's one stylesheet, one script and its icon, embedded in this assembly so
/// the appliance is one self-contained program that works offline (no CDN, no static-files folder
/// to deploy). Pages link them with <see cref="Url"/>, whose version query changes with the content.
/// </summary>
internal static class AssetEndpoints
{
    private static readonly ConcurrentDictionary<string, Asset> Assets = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (Load(name) is not { } asset)
            {
                return Results.NotFound();
            }
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue($"\"{asset.Version}\""));
        });
        // Browsers ask for /favicon.ico whatever the page links; an old-style request gets the icon too.
        app.MapGet("/favicon.ico", () => Results.Redirect(Url("favicon.svg")));
        return app;
    }

    /// <summary>The asset's URL with a content version, so a new build is never served from a stale cache.</summary>
    public static string Url(string name) => $"/assets/{name}?v={Load(name)?.Version}";

    /// <summary>Only assets that exist are kept: a name anyone can make up must not grow memory.</summary>
    private static Asset? Load(string name)
    {
        if (Assets.TryGetValue(name, out Asset? known))
        {
            return known;
        }
        return Read(name) is { } asset ? Assets.GetOrAdd(name, asset) : null;
    }

    private static Asset? Read(string n)
    {
        using Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("assets/" + n);
        if (stream is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] content = buffer.ToArray();
        string type = Path.GetExtension(n) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
