using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Boot;

/// <summary>Which PXE clients ProxyDHCP answers (configuration section <c>ProxyDhcp</c>).</summary>
public sealed class ProxyDhcpPolicyOptions
{
    /// <summary><c>ignore</c> (default: stay silent, the machine boots as it would without us) or <c>localboot</c> (boot the loader, which boots the local disk).</summary>
    public string Unknown { get; set; } = "ignore";

    /// <summary>The same for registered hosts not in build mode. Default <c>ignore</c>.</summary>
    public string NotBuilding { get; set; } = "ignore";
}

/// <summary>
/// ProxyDHCP's booting decisions: hosts the lifecycle builds here always get their loader; unknown machines and
/// hosts not being built follow <see cref="ProxyDhcpPolicyOptions"/>; the loader follows the firmware.
/// </summary>
internal sealed partial class ProxyDhcpBootHandler(HostDirectory hosts, BootFiles files, ApplianceUrls urls,
    IOptions<ProxyDhcpPolicyOptions> policy, IOptions<BootChoiceOptions> choice, ApplianceIdentity appliance, ILogger<ProxyDhcpBootHandler> logger) : IProxyDhcpHandler
{
    public async ValueTask<string?> BootFileAsync(DhcpMessage request, string interfaceName, IPAddress server, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryRead(request.ClientHardwareAddress, out MacAddress mac))
        {
            return null;
        }
        HostRecord? host = await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false);
        // A host pinned to another appliance counts as not building here.
        if (host is null || !BuildLifecycle.EntitlementOf(HostBuild.Of(host, appliance)).ProxyDhcp)
        {
            string rule = host is null ? policy.Value.Unknown : policy.Value.NotBuilding;
            if (!rule.Equals("localboot", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }
        string? file = BootFileChoice.For(request, urls.BaseFor(server), choice.Value, f => files.Find(f).Status == BootFileStatus.Found, out string reason, viaProxyDhcp: true);
        if (file is null)
        {
            LogNoLoader(mac.ToString(), reason);
        }
        return file;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ProxyDHCP cannot boot mac {Mac}: {Reason}")]
    private partial void LogNoLoader(string mac, string reason);
}
