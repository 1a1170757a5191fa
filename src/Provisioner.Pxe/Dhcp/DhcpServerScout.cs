using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>Another DHCP server heard on an interface: its identifier (option 54, else the sender) and what it offered.</summary>
public sealed record OtherDhcpServer(string Interface, IPAddress Server, IPAddress Offered);

/// <summary>
/// Looks for other DHCP servers on an interface before this one serves there: it broadcasts a
/// DISCOVER from the client port, as a client would, and collects the OFFERs that answer it within
/// the time given. Two servers handing out addresses on one network give machines addresses
/// neither knows of (MAAS and dnsmasq check the same way).
/// </summary>
public static class DhcpServerScout
{
    public static async Task<IReadOnlyList<OtherDhcpServer>> FindAsync(string interfaceName, TimeSpan listen, CancellationToken cancellationToken)
    {
        byte[] mac = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == interfaceName)?.GetPhysicalAddress().GetAddressBytes() is { Length: 6 } own
            ? own
            : [0x02, 0, 0, 0, 0, 1];
        uint xid = (uint)Random.Shared.Next();
        using Socket socket = InterfaceSocket.Bind(DhcpServer.ListenerName, interfaceName, DhcpDestination.ClientPort);
        byte[] discover = Discover(xid, mac);
        await socket.SendToAsync(discover, SocketFlags.None, new IPEndPoint(IPAddress.Broadcast, DhcpDestination.ServerPort), cancellationToken).ConfigureAwait(false);
        List<OtherDhcpServer> found = [];
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(listen);
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, window.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return found;
            }
            if (DhcpWire.TryReadMessage(buffer.AsSpan(0, received.ReceivedBytes), out DhcpMessage? offer)
                && offer!.Op == 2 && offer.TransactionId == xid && offer.MessageType == DhcpMessageType.Offer)
            {
                IPAddress server = offer.ServerIdentifier ?? ((IPEndPoint)received.RemoteEndPoint).Address;
                if (!found.Any(f => f.Server.Equals(server)))
                {
                    found.Add(new OtherDhcpServer(interfaceName, server, offer.YourAddress));
                }
            }
        }
    }

    /// <summary>A minimal DISCOVER (RFC 2131 §4.4.1) with the broadcast bit, so the answer reaches a socket with no address.</summary>
    private static byte[] Discover(uint xid, byte[] mac)
    {
        byte[] packet = new byte[300];
        packet[0] = 1;
        packet[1] = 1;
        packet[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), xid);
        packet[10] = 0x80;
        mac.CopyTo(packet, 28);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(DhcpWire.FixedLength), 0x63825363);
        int at = DhcpWire.FixedLength + 4;
        packet[at++] = 53;
        packet[at++] = 1;
        packet[at++] = (byte)DhcpMessageType.Discover;
        packet[at] = 255;
        return packet;
    }
}
