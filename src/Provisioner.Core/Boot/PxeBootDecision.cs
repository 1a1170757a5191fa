using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Boot;

/// <summary>
/// What a PXE (or UEFI HTTP Boot, or iPXE) client is told to boot, for ProxyDHCP and the DHCP server
/// alike: hosts the lifecycle builds here always get their loader; unknown machines and hosts not
/// being built follow <see cref="ProxyDhcpPolicyOptions"/>; the loader follows the firmware
/// (<see cref="BootFileChoice"/>).
/// </summary>
public sealed partial class PxeBootDecision(BootFiles files, ApplianceUrls urls, IOptions<ProxyDhcpPolicyOptions> policy,
    IOptions<BootChoiceOptions> choice, ApplianceIdentity appliance, ILogger<PxeBootDecision> logger)
{
    /// <summary>The boot file (a TFTP path or an HTTP URL), or null: nothing to boot from the network.</summary>
    /// <param name="host">The registered host with the client's MAC, or null.</param>
    /// <param name="server">The appliance's address the client reaches it on (TFTP server, HTTP base).</param>
    /// <param name="viaProxyDhcp">The answer is ProxyDHCP's (see <see cref="BootFileChoice.For"/>).</param>
    public string? BootFileFor(DhcpMessage request, HostRecord? host, IPAddress server, bool viaProxyDhcp)
    {
        // A host pinned to another appliance counts as not building here.
        if (host is null || !BuildLifecycle.EntitlementOf(HostBuild.Of(host, appliance)).ProxyDhcp)
        {
            string rule = host is null ? policy.Value.Unknown : policy.Value.NotBuilding;
            if (!rule.Equals("localboot", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }
        string? file = BootFileChoice.For(request, urls.BaseFor(server), choice.Value, f => files.Find(f).Status == BootFileStatus.Found, out string reason, viaProxyDhcp);
        if (file is null)
        {
            LogNoLoader(Convert.ToHexString(request.ClientHardwareAddress).ToLowerInvariant(), reason);
        }
        return file;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot boot mac {Mac} from the network: {Reason}")]
    private partial void LogNoLoader(string mac, string reason);
}
