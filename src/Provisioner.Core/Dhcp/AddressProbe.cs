using System.Net;
using System.Net.NetworkInformation;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// Whether a machine already answers on an address, before the address is offered (RFC 2131 §2.2:
/// "the allocating server SHOULD probe the reused address ... e.g., with an ICMP echo request").
/// A machine configured by hand inside the pool would otherwise get a twin.
/// </summary>
public class AddressProbe
{
    /// <summary>True when an echo reply came within <paramref name="timeout"/>.</summary>
    public virtual async Task<bool> InUseAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ping = new Ping();
        try
        {
            PingReply reply = await ping.SendPingAsync(address, timeout, null, null, cancellationToken).ConfigureAwait(false);
            return reply.Status == IPStatus.Success;
        }
        catch (PingException)
        {
            // No way to ask (no route, no permission): nothing known to answer there.
            return false;
        }
    }
}
