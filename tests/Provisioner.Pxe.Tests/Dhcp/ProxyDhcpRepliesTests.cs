using System.Buffers.Binary;
using System.Net;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Tests.Capture;

namespace Provisioner.Pxe.Tests.Dhcp;

public sealed class ProxyDhcpRepliesTests
{
    private static readonly IPAddress Server = IPAddress.Parse("192.0.2.2");

    /// <summary>iPXE's real DISCOVER (ipxe-dhcp.pcap, QEMU's ROM), answered as ProxyDHCP would, read back.</summary>
    [Fact]
    public void For_RealIpxeDiscover_OfferWithBootFileAndNoAddress()
    {
        Assert.True(DhcpWire.TryReadMessage(PcapFixtures.Read("ipxe-dhcp.pcap")[0].Frame.AsSpan(42), out DhcpMessage? discover));
        Assert.Equal("iPXE", discover!.UserClass);
        byte[] buffer = new byte[1500];

        Assert.True(DhcpWire.TryWriteReply(buffer, ProxyDhcpReplies.For(discover, DhcpMessageType.Offer, Server, "pxelinux.0"), out int written));
        Span<byte> packet = buffer.AsSpan(0, written);

        Assert.True(DhcpWire.TryReadMessage(packet, out DhcpMessage? offer));
        Assert.Equal((2, DhcpMessageType.Offer, discover.TransactionId), (offer!.Op, offer.MessageType, offer.TransactionId));
        Assert.Equal(discover.ClientHardwareAddress, offer.ClientHardwareAddress);
        // Never an address: the site's DHCP server gives that.
        Assert.Equal(IPAddress.Any, offer.YourAddress);
        Assert.Equal(Server, offer.ServerIdentifier);
        Assert.Equal("PXEClient", offer.VendorClass);
        Assert.Equal(discover.ClientUuid, offer.ClientUuid);
        Assert.Equal(0x8000, BinaryPrimitives.ReadUInt16BigEndian(packet[10..]));
        Assert.Equal(Server, new IPAddress(packet.Slice(20, 4)));
        Assert.Equal("pxelinux.0", System.Text.Encoding.ASCII.GetString(packet.Slice(108, 128)).TrimEnd('\0'));
        Assert.True(written >= 300);
    }

    [Fact]
    public void For_PlainPxeRom_CarriesDiscoveryControlBypass_IpxeDoesNot()
    {
        DhcpMessage rom = Request(userClass: null);
        DhcpMessage ipxe = Request(userClass: "iPXE");

        Assert.Contains(ProxyDhcpReplies.For(rom, DhcpMessageType.Ack, Server, "grubnetx64.efi").Options, o => o.Code == 43 && o.Value.SequenceEqual(new byte[] { 6, 1, 8, 255 }));
        Assert.DoesNotContain(ProxyDhcpReplies.For(ipxe, DhcpMessageType.Ack, Server, "http://192.0.2.2:8080/ipxe/x").Options, o => o.Code == 43);
        Assert.False(ProxyDhcpReplies.For(rom, DhcpMessageType.Ack, Server, "x").Broadcast);
    }

    [Fact]
    public void TryWriteReply_FieldsTooLongOrBufferTooSmall_False()
    {
        DhcpMessage rom = Request(userClass: null);
        Assert.False(DhcpWire.TryWriteReply(new byte[1500], ProxyDhcpReplies.For(rom, DhcpMessageType.Offer, Server, new string('x', 128)), out _));
        Assert.False(DhcpWire.TryWriteReply(new byte[299], ProxyDhcpReplies.For(rom, DhcpMessageType.Offer, Server, "pxelinux.0"), out _));
    }

    private static DhcpMessage Request(string? userClass) => new()
    {
        Op = 1, TransactionId = 0x1234, ClientHardwareAddress = [0x52, 0x54, 0, 0x12, 0x34, 0x56], ClientAddress = IPAddress.Parse("192.0.2.101"),
        YourAddress = IPAddress.Any, MessageType = DhcpMessageType.Request, VendorClass = "PXEClient:Arch:00007:UNDI:003016", UserClass = userClass,
    };
}
