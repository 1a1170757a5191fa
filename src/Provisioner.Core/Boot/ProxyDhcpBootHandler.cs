using System.Net;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Boot;

/// <summary>Which PXE clients ProxyDHCP answers (configuration section <c>ProxyDhcp</c>; the DHCP server follows it too).</summary>
public sealed class ProxyDhcpPolicyOptions
{
    /// <summary><c>ignore</c> (default: stay silent, the machine boots as it would without us) or <c>localboot</c> (boot the loader, which boots the local disk).</summary>
    public string Unknown { get; set; } = "ignore";

    /// <summary>The same for registered hosts not in build mode. Default <c>ignore</c>.</summary>
    public string NotBuilding { get; set; } = "ignore";
}

/// <summary>ProxyDHCP's booting decisions: the registered host with the client's MAC, then <see cref="PxeBootDecision"/>.</summary>
internal sealed class ProxyDhcpBootHandler(HostDirectory hosts, PxeBootDecision decision) : IProxyDhcpHandler
{
    public async ValueTask<string?> BootFileAsync(DhcpMessage request, string interfaceName, IPAddress server, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryRead(request.ClientHardwareAddress, out MacAddress mac))
        {
            return null;
        }
        HostRecord? host = await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false);
        return decision.BootFileFor(request, host, server, viaProxyDhcp: true);
    }
}
