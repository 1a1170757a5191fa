using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>Where a server's reply goes (RFC 2131 §4.1, "DHCP server behaviour", and §4.3.2 for a NAK).</summary>
public static class DhcpDestination
{
    public const int ServerPort = 67;
    public const int ClientPort = 68;

    /// <summary>
    /// Through a relay: to the relay's server port. A NAK without one: broadcast. A client that has
    /// an address (ciaddr): unicast to it. Otherwise broadcast: RFC 2131 would unicast to yiaddr at
    /// the client's hardware address, which needs an ARP entry written for an address the client does
    /// not hold yet; §4.1 allows the broadcast "if unicasting is not possible", and every client
    /// listens for it (they take the offer from a raw socket).
    /// </summary>
    public static IPEndPoint For(DhcpMessage request, DhcpMessageType reply)
    {
        if (!request.RelayAddress.Equals(IPAddress.Any))
        {
            return new IPEndPoint(request.RelayAddress, ServerPort);
        }
        if (reply != DhcpMessageType.Nak && !request.ClientAddress.Equals(IPAddress.Any))
        {
            return new IPEndPoint(request.ClientAddress, ClientPort);
        }
        return new IPEndPoint(IPAddress.Broadcast, ClientPort);
    }
}
