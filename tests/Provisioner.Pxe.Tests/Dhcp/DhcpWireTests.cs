using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Tests.Capture;

namespace Provisioner.Pxe.Tests.Dhcp;

public sealed class DhcpWireTests
{
    /// <summary>The UDP payload of the first frame of a fixture (Ethernet 14 + IPv4 20 + UDP 8 bytes in).</summary>
    private static byte[] Payload(string fixture) => PcapFixtures.Read(fixture)[0].Frame[42..];

    [Fact]
    public void TryReadMessage_RealDiscover_Reads()
    {
        Assert.True(DhcpWire.TryReadMessage(Payload("ipxe-dhcp.pcap"), out DhcpMessage? message));
        Assert.Equal(DhcpMessageType.Discover, message!.MessageType);
        Assert.Equal(1, message.Op);
    }

    [Fact]
    public void TryReadMessage_EveryTruncationShorterThanTheFixedPart_ReturnsFalse()
    {
        byte[] payload = Payload("ipxe-dhcp.pcap");
        for (int length = 0; length < DhcpWire.FixedLength + 4; length++)
        {
            Assert.False(DhcpWire.TryReadMessage(payload.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TryReadMessage_OptionRunningPastTheEnd_ReturnsFalse()
    {
        byte[] payload = Payload("udhcpc-dhcp.pcap");
        int end = Array.LastIndexOf(payload, (byte)255);
        byte[] cut = payload[..end];
        // The last option's length now points past the data only if the cut lands inside it;
        // a hostname option claiming 200 bytes certainly does.
        byte[] bad = [.. payload[..(DhcpWire.FixedLength + 4)], 12, 200, (byte)'x'];
        Assert.False(DhcpWire.TryReadMessage(bad, out _));
        Assert.True(DhcpWire.TryReadMessage(cut, out _));
    }

    [Fact]
    public void TryReadMessage_WrongCookieOrOp_ReturnsFalse()
    {
        byte[] payload = Payload("ipxe-dhcp.pcap");
        byte[] cookie = (byte[])payload.Clone();
        cookie[DhcpWire.FixedLength] ^= 0xff;
        byte[] op = (byte[])payload.Clone();
        op[0] = 3;
        Assert.False(DhcpWire.TryReadMessage(cookie, out _));
        Assert.False(DhcpWire.TryReadMessage(op, out _));
    }

    [Fact]
    public void TryReadMessage_ControlCharactersInHostname_AreReplaced()
    {
        byte[] payload = [.. Payload("udhcpc-dhcp.pcap")[..(DhcpWire.FixedLength + 4)], 12, 4, (byte)'a', 0x1b, (byte)'b', (byte)'c', 255];
        Assert.True(DhcpWire.TryReadMessage(payload, out DhcpMessage? message));
        Assert.Equal("a?bc", message!.Hostname);
    }
}
