using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;

namespace Provisioner.Web.Boot;

/// <summary>What an HTTP request says about the machine asking: its address, and the base URL it reached us at.</summary>
internal static class RequestClient
{
    /// <summary>The base URL for links in configs served over HTTP: the address the client used, unless PublicUrl says otherwise.</summary>
    public static string BaseUrl(HttpContext context)
    {
        string? configured = context.RequestServices.GetService(typeof(IOptions<ApplianceUrlOptions>)) is IOptions<ApplianceUrlOptions> options
            ? options.Value.PublicUrl
            : null;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : configured.TrimEnd('/');
    }

    /// <summary>The client's IPv4 address as the bindings and the TFTP side know it (Kestrel's dual-stack socket maps it into IPv6).</summary>
    public static IPAddress Address(HttpContext context)
    {
        IPAddress address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
