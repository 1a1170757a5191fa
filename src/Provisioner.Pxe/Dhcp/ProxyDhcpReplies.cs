using System.Net;
using System.Text;

namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// The replies of a ProxyDHCP server (PXE specification 2.1, §2.2 and §2.5): boot information for a
/// PXE client, never an address (yiaddr stays 0.0.0.0; the site's DHCP server gives the address).
/// </summary>
public static class ProxyDhcpReplies
{
    private const byte DiscoveryControl = 6;
    private const byte End = 255;

    /// <summary>An OFFER to a DISCOVER on port 67, or an ACK to a REQUEST on port 4011.</summary>
    public static DhcpReply For(DhcpMessage request, DhcpMessageType type, IPAddress server, string bootFile)
    {
        var options = new List<(byte Code, byte[] Value)>
        {
            (53, [(byte)type]),
            (54, server.GetAddressBytes()),
            // PXE 2.1 §2.2: the server identifies itself as a PXEClient vendor class too.
            (60, Encoding.ASCII.GetBytes("PXEClient")),
        };
        if (request.UserClass != "iPXE")
        {
            // Sub-option 6, discovery control, bit 3: skip boot server discovery, use the file given
            // here. Without it, some ROMs go looking for boot servers and never boot.
            options.Add((43, [DiscoveryControl, 1, 8, End]));
        }
        if (request.ClientUuid is { } uuid)
        {
            // PXE 2.1 §2.2: the client's machine identifier (option 97) is echoed back.
            byte[] value = new byte[17];
            uuid.TryWriteBytes(value.AsSpan(1), bigEndian: true, out _);
            options.Add((97, value));
        }
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
