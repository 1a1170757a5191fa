using System.Net;
using System.Net.Sockets;
using PacketDotNet;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Capture;

/// <summary>
/// Turns a captured Ethernet frame into an <see cref="Observation"/>: ARP, or DHCP over UDP 67/68.
/// A pure function of the bytes. Anything else, and anything malformed, gives false; it never
/// throws, whatever arrives.
/// </summary>
public static class FrameDecoder
{
    public static bool TryDecode(byte[] frame, DateTimeOffset at, out Observation? observation)
    {
        try
        {
            observation = Decode(frame, at);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotSupportedException or OverflowException or NullReferenceException)
        {
            // PacketDotNet reads lazily (a property can throw long after parsing) and is not written for hostile input.
            observation = null;
        }
        return observation is not null;
    }

    private static Observation? Decode(byte[] frame, DateTimeOffset at)
    {
        if (Packet.ParsePacket(LinkLayers.Ethernet, frame) is not EthernetPacket ethernet
            || !MacAddress.TryRead(ethernet.SourceHardwareAddress.GetAddressBytes(), out MacAddress source))
        {
            return null;
        }
        return (Observation?)TryArp(ethernet, at, source) ?? TryDhcp(ethernet, at, source);
    }

    private static ArpObservation? TryArp(EthernetPacket ethernet, DateTimeOffset at, MacAddress source)
    {
        if (ethernet.Type != EthernetType.Arp || ethernet.PayloadPacket is not ArpPacket arp
            || arp.HardwareAddressType != LinkLayers.Ethernet || arp.ProtocolAddressType != EthernetType.IPv4
            || !MacAddress.TryRead(arp.SenderHardwareAddress.GetAddressBytes(), out MacAddress sender))
        {
            return null;
        }
        return new ArpObservation(at, source, arp.Operation == ArpOperation.Response, sender, arp.SenderProtocolAddress, arp.TargetProtocolAddress);
    }

    private static DhcpObservation? TryDhcp(EthernetPacket ethernet, DateTimeOffset at, MacAddress source)
    {
        // PacketDotNet parses ports 67/68 into its own DHCP packet, so the payload is that packet's bytes.
        if (ethernet.PayloadPacket is not IPv4Packet ip || ip.PayloadPacket is not UdpPacket udp
            || !(udp.DestinationPort is 67 or 68 || udp.SourcePort is 67 or 68)
            || (udp.PayloadData ?? udp.PayloadPacket?.Bytes) is not { } payload
            // RFC 768: the length field covers header and data; a capture cut short of it is not trusted.
            || udp.Length < 8 || udp.Length - 8 > payload.Length
            || !DhcpWire.TryReadMessage(payload.AsSpan(0, udp.Length - 8), out DhcpMessage? message))
        {
            return null;
        }
        return ip.SourceAddress.AddressFamily == AddressFamily.InterNetwork
            ? new DhcpObservation(at, source, ip.SourceAddress, message!)
            : null;
    }
}
