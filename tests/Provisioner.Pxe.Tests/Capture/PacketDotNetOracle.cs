using PacketDotNet;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Pxe.Tests.Capture;

/// <summary>
/// What PacketDotNet (the library the decoder used before it read spans itself) makes of a frame,
/// as a line to compare: the decoder must read every real frame, whole or cut, the same way, with
/// two deliberate differences: an ARP packet cut short is turned down (PacketDotNet fills the missing
/// address bytes with zeros and reads a target such as 192.0.0.0), and one whose hardware address is
/// not 6 bytes is not Ethernet's (the old decoder turned those down too).
/// </summary>
internal static class PacketDotNetOracle
{
    /// <summary>Ethernet header and the 28 bytes of an IPv4-over-Ethernet ARP packet (RFC 826).</summary>
    private const int WholeArpFrame = 14 + 28;

    public static string? Read(byte[] frame)
    {
        try
        {
            if (Packet.ParsePacket(LinkLayers.Ethernet, frame) is not EthernetPacket ethernet)
            {
                return null;
            }
            string source = Hex(ethernet.SourceHardwareAddress.GetAddressBytes());
            if (ethernet.Type == EthernetType.Arp && ethernet.PayloadPacket is ArpPacket arp
                && arp.HardwareAddressType == LinkLayers.Ethernet && arp.ProtocolAddressType == EthernetType.IPv4)
            {
                if (frame.Length < WholeArpFrame || arp.SenderHardwareAddress.GetAddressBytes().Length != 6)
                {
                    return null;
                }
                return $"arp {source} reply={arp.Operation == ArpOperation.Response} {Hex(arp.SenderHardwareAddress.GetAddressBytes())} {arp.SenderProtocolAddress} -> {arp.TargetProtocolAddress}";
            }
            if (ethernet.PayloadPacket is IPv4Packet ip && ip.PayloadPacket is UdpPacket udp
                && (udp.DestinationPort is 67 or 68 || udp.SourcePort is 67 or 68)
                && (udp.PayloadData ?? udp.PayloadPacket?.Bytes) is { } payload
                && udp.Length >= 8 && udp.Length - 8 <= payload.Length
                && DhcpWire.TryReadMessage(payload.AsSpan(0, udp.Length - 8), out DhcpMessage? message))
            {
                return Dhcp(source, ip.SourceAddress.ToString(), message!);
            }
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    public static string? Describe(Observation? observation) => observation switch
    {
        ArpObservation arp => $"arp {Hex(arp.SourceMac)} reply={arp.IsReply} {Hex(arp.SenderMac)} {arp.SenderIp} -> {arp.TargetIp}",
        DhcpObservation dhcp => Dhcp(Hex(dhcp.SourceMac), dhcp.Source.ToString(), dhcp.Message),
        _ => null,
    };

    private static string Dhcp(string source, string ip, DhcpMessage message) =>
        $"dhcp {source} {ip} xid={message.TransactionId:x8} {message.MessageType} chaddr={Hex(message.ClientHardwareAddress)} yiaddr={message.YourAddress} vendor={message.VendorClass}";

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private static string Hex(Provisioner.Pxe.Net.MacAddress mac) => mac.ToString().Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
}
