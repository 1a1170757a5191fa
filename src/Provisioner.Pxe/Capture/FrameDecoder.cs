using System.Buffers.Binary;
using System.Net;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Capture;

/// <summary>
/// Turns a captured Ethernet frame into an <see cref="Observation"/>: ARP, or DHCP over UDP 67/68.
/// A pure function of the bytes, read in place: every length is checked against what was captured
/// before it is used, so anything else, and anything malformed, gives false; it never throws,
/// whatever arrives. Frames with an 802.1Q tag are not read (the capture interface is the untagged
/// provisioning segment), nor are IP fragments after the first (they carry no UDP header).
/// </summary>
public static class FrameDecoder
{
    // IEEE 802.3 / RFC 894: destination, source, EtherType.
    private const int EthernetHeaderLength = 14;
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeArp = 0x0806;

    // RFC 826: hardware type 1 (Ethernet), protocol type 0x0800, lengths 6 and 4, then the addresses.
    private const int ArpLength = 28;
    private const ushort ArpHardwareEthernet = 1;
    private const ushort ArpOperationReply = 2;

    // RFC 791 §3.1 and RFC 768.
    private const int MinIPv4HeaderLength = 20;
    private const byte ProtocolUdp = 17;
    private const int UdpHeaderLength = 8;

    public static bool TryDecode(ReadOnlySpan<byte> frame, DateTimeOffset at, out Observation? observation)
    {
        observation = null;
        if (frame.Length < EthernetHeaderLength || !MacAddress.TryRead(frame.Slice(6, 6), out MacAddress source))
        {
            return false;
        }
        ReadOnlySpan<byte> payload = frame[EthernetHeaderLength..];
        observation = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12, 2)) switch
        {
            EtherTypeArp => TryReadArp(payload, at, source, out ArpObservation? arp) ? arp : null,
            EtherTypeIPv4 => TryReadDhcp(payload, at, source, out DhcpObservation? dhcp) ? dhcp : null,
            _ => null,
        };
        return observation is not null;
    }

    /// <summary>An ARP packet for IPv4 over Ethernet; other hardware or protocol types, or other address lengths, are not ours.</summary>
    private static bool TryReadArp(ReadOnlySpan<byte> arp, DateTimeOffset at, MacAddress source, out ArpObservation? observation)
    {
        observation = null;
        if (arp.Length < ArpLength
            || BinaryPrimitives.ReadUInt16BigEndian(arp) != ArpHardwareEthernet
            || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != EtherTypeIPv4
            || arp[4] != 6 || arp[5] != 4
            || !MacAddress.TryRead(arp.Slice(8, 6), out MacAddress sender))
        {
            return false;
        }
        bool reply = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]) == ArpOperationReply;
        observation = new ArpObservation(at, source, reply, sender, new IPAddress(arp.Slice(14, 4)), new IPAddress(arp.Slice(24, 4)));
        return true;
    }

    /// <summary>A DHCP message in a UDP datagram to or from port 67 or 68, in an unfragmented (or first-fragment) IPv4 packet.</summary>
    private static bool TryReadDhcp(ReadOnlySpan<byte> ip, DateTimeOffset at, MacAddress source, out DhcpObservation? observation)
    {
        observation = null;
        if (!TryReadUdp(ip, out ushort sourcePort, out ushort destinationPort, out ReadOnlySpan<byte> data)
            || !(destinationPort is 67 or 68 || sourcePort is 67 or 68)
            || !DhcpWire.TryReadMessage(data, out DhcpMessage? message))
        {
            return false;
        }
        observation = new DhcpObservation(at, source, new IPAddress(ip.Slice(12, 4)), message!);
        return true;
    }

    /// <summary>The ports and data of the UDP datagram in an IPv4 packet, when every length in both headers fits what was captured.</summary>
    private static bool TryReadUdp(ReadOnlySpan<byte> ip, out ushort sourcePort, out ushort destinationPort, out ReadOnlySpan<byte> data)
    {
        sourcePort = destinationPort = 0;
        data = default;
        if (ip.Length < MinIPv4HeaderLength || ip[0] >> 4 != 4 || ip[9] != ProtocolUdp)
        {
            return false;
        }
        // IHL counts 32-bit words; the total length covers header and data, and Ethernet may pad after it.
        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        int fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1FFF;
        if (headerLength < MinIPv4HeaderLength || headerLength > ip.Length || totalLength < headerLength || fragmentOffset != 0)
        {
            return false;
        }
        ReadOnlySpan<byte> udp = ip[headerLength..Math.Min(totalLength, ip.Length)];
        if (udp.Length < UdpHeaderLength)
        {
            return false;
        }
        // RFC 768: the length field covers header and data; a capture cut short of it is not trusted.
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < UdpHeaderLength || udpLength > udp.Length)
        {
            return false;
        }
        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        data = udp[UdpHeaderLength..udpLength];
        return true;
    }
}
