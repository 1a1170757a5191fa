using System.Net;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>Settings for the URLs the appliance writes into boot configs and preseeds.</summary>
public sealed class ApplianceUrlOptions
{
    /// <summary>The HTTP listen URL (key <c>Http</c>). Default <c>http://0.0.0.0:8080</c>.</summary>
    public string Http { get; set; } = "http://0.0.0.0:8080";

    /// <summary>
    /// The base URL clients should use (key <c>PublicUrl</c>), for an appliance behind NAT or a proxy.
    /// Default: none; the address the client's request arrived on, with the HTTP port.
    /// </summary>
    public string? PublicUrl { get; set; }
}

/// <summary>The base URL (<c>http://192.0.2.1:8080</c>) a client on a given server address reaches the appliance at.</summary>
public sealed class ApplianceUrls(IOptions<ApplianceUrlOptions> options)
{
    /// <summary>For a request that arrived on <paramref name="local"/> (TFTP knows it from IP_PKTINFO).</summary>
    public string BaseFor(IPAddress local)
    {
        ApplianceUrlOptions o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.PublicUrl))
        {
            return o.PublicUrl.TrimEnd('/');
        }
        var listen = new Uri(o.Http);
        // A wildcard listen address says nothing to the client: use the address its request came in on.
        string host = IPAddress.TryParse(listen.Host, out IPAddress? bound) && (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
            ? (local.Equals(IPAddress.Any) ? "127.0.0.1" : local.ToString())
            : listen.Host;
        return $"{listen.Scheme}://{host}:{listen.Port}";
    }
}
