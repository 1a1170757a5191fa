using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;

namespace Provisioner.Web.Boot;

/// <summary>The base URL for links in configs served over HTTP: the address the client used, unless PublicUrl says otherwise.</summary>
internal static class RequestUrls
{
    public static string BaseFor(HttpContext context)
    {
        string? configured = context.RequestServices.GetService(typeof(IOptions<ApplianceUrlOptions>)) is IOptions<ApplianceUrlOptions> options
            ? options.Value.PublicUrl
            : null;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : configured.TrimEnd('/');
    }
}
