using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// The replies of a ProxyDHCP server (PXE specification 2.1, §2.2 and §2.5): boot information for a
/// PXE client, never an address (yiaddr stays 0.0.0.0; the site's DHCP server gives the address).
/// </summary>
public static class ProxyDhcpReplies
{
    /// <summary>An OFFER to a DISCOVER on port 67, or an ACK to a REQUEST on port 4011.</summary>
    public static DhcpReply For(DhcpMessage request, DhcpMessageType type, IPAddress server, string bootFile)
    {
        var options = new List<(byte Code, byte[] Value)>
        {
            (53, [(byte)type]),
            (54, server.GetAddressBytes()),
        };
        PxeReplyOptions.Add(options, request);
        return new DhcpReply(request.TransactionId, request.ClientHardwareAddress, options)
        {
            ClientAddress = request.ClientAddress,
            RelayAddress = request.RelayAddress,
            ServerAddress = server,
            ServerName = server.ToString(),
            BootFile = bootFile,
            // Before it has an address, the client can only take a broadcast (RFC 2131 §4.1).
            Broadcast = type == DhcpMessageType.Offer,
        };
    }
}
