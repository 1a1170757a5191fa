using System.Net;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Pxe.Tests.Dhcp;

/// <summary>What a DHCP server's replies carry on the wire (RFC 2131 table 3) and where they go (§4.1).</summary>
public sealed class DhcpServerRepliesTests
{
    private static readonly IPAddress Server = IPAddress.Parse("192.0.2.1");

    private static DhcpMessage Request(DhcpMessageType type, string? vendor = null, string? giaddr = null, string? ciaddr = null, byte[]? agent = null) => new()
    {
        Op = 1,
        TransactionId = 0xfeedbeef,
        ClientHardwareAddress = [2, 0, 0, 0, 0x23, 1],
        ClientAddress = IPAddress.Parse(ciaddr ?? "0.0.0.0"),
        RelayAddress = IPAddress.Parse(giaddr ?? "0.0.0.0"),
        YourAddress = IPAddress.Any,
        MessageType = type,
        VendorClass = vendor,
        Hops = giaddr is null ? (byte)0 : (byte)1,
        RelayAgentInformation = agent,
        ClientUuid = vendor is null ? null : Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"),
    };

    private static readonly DhcpLeaseTerms Terms = new()
    {
        YourAddress = IPAddress.Parse("192.0.2.100"),
        LeaseTime = TimeSpan.FromHours(1),
        SubnetMask = IPAddress.Parse("255.255.255.0"),
        Router = IPAddress.Parse("192.0.2.1"),
        Dns = [IPAddress.Parse("192.0.2.53")],
        Domain = "lab.example",
        Hostname = "web-01",
        BootServer = IPAddress.Parse("192.0.2.1"),
        BootFile = "pxelinux.0",
    };

    /// <summary>Written, then read back the way a client reads it.</summary>
    private static (DhcpMessage Message, byte[] Raw) RoundTrip(DhcpReply reply)
    {
        byte[] buffer = new byte[576];
        Assert.True(DhcpWire.TryWriteReply(buffer, reply, out int written));
        Assert.True(DhcpWire.TryReadMessage(buffer.AsSpan(0, written), out DhcpMessage? message));
        return (message!, buffer[..written]);
    }

    [Fact]
    public void Offer_ToAPlainClient_CarriesTheLeaseAndOptionsInOrder_AndNoBootInformation()
    {
        DhcpReply reply = DhcpServerReplies.For(Request(DhcpMessageType.Discover), DhcpMessageType.Offer, Server, Terms);
        Assert.Equal([53, 54, 51, 58, 59, 1, 3, 6, 15, 12], reply.Options.Select(o => o.Code));
        Assert.Equal([0, 0, 0x0e, 0x10], reply.Options.Single(o => o.Code == 51).Value);
        Assert.Equal([0, 0, 0x07, 0x08], reply.Options.Single(o => o.Code == 58).Value);
        Assert.Equal([0, 0, 0x0c, 0x4e], reply.Options.Single(o => o.Code == 59).Value);
        (DhcpMessage message, byte[] raw) = RoundTrip(reply);
        Assert.Equal(DhcpMessageType.Offer, message.MessageType);
        Assert.Equal("192.0.2.100", message.YourAddress.ToString());
        Assert.Equal(IPAddress.Any, message.ClientAddress);
        Assert.Equal("web-01", message.Hostname);
        Assert.Equal(Server, message.ServerIdentifier);
        // No siaddr, no file for a client that does not boot from the network.
        Assert.Equal([0, 0, 0, 0], raw[20..24]);
        Assert.Equal(0, raw[108]);
    }

    [Fact]
    public void Offer_ToAPxeRom_AddsTheBootFileAndThePxeOptions_AndEchoesOption82Last()
    {
        byte[] agent = [1, 3, (byte)'p', (byte)'7', (byte)'a'];
        DhcpReply reply = DhcpServerReplies.For(Request(DhcpMessageType.Discover, "PXEClient:Arch:00000:UNDI:002001", giaddr: "192.0.2.129", agent: agent), DhcpMessageType.Offer, Server, Terms);
        Assert.Equal([53, 54, 51, 58, 59, 1, 3, 6, 15, 12, 60, 43, 97, 82], reply.Options.Select(o => o.Code));
        Assert.Equal(agent, reply.Options[^1].Value);
        (DhcpMessage message, byte[] raw) = RoundTrip(reply);
        Assert.Equal("192.0.2.129", message.RelayAddress.ToString());
        Assert.Equal(1, message.Hops);
        Assert.Equal([192, 0, 2, 1], raw[20..24]);
        Assert.Equal("pxelinux.0", System.Text.Encoding.ASCII.GetString(raw, 108, 10));
        Assert.Equal(agent, message.RelayAgentInformation);
    }

    [Fact]
    public void Offer_ToAUefiHttpBootClient_NamesTheHttpClientClass()
    {
        DhcpReply reply = DhcpServerReplies.For(Request(DhcpMessageType.Discover, "HTTPClient:Arch:00016:UNDI:003001"), DhcpMessageType.Offer, Server,
            Terms with { BootFile = "http://192.0.2.1:8080/boot/snponly.efi" });
        Assert.Equal("HTTPClient"u8.ToArray(), reply.Options.Single(o => o.Code == 60).Value);
        Assert.DoesNotContain(reply.Options, o => o.Code is 43 or 97);
        Assert.Equal("http://192.0.2.1:8080/boot/snponly.efi", reply.BootFile);
    }

    [Fact]
    public void AckToAnInform_HasNoAddressAndNoLeaseTime_AndKeepsCiaddr()
    {
        DhcpReply reply = DhcpServerReplies.For(Request(DhcpMessageType.Inform, ciaddr: "192.0.2.77"), DhcpMessageType.Ack, Server,
            Terms with { YourAddress = IPAddress.Any, LeaseTime = null });
        Assert.DoesNotContain(reply.Options, o => o.Code is 51 or 58 or 59);
        (DhcpMessage message, _) = RoundTrip(reply);
        Assert.Equal(IPAddress.Any, message.YourAddress);
        Assert.Equal("192.0.2.77", message.ClientAddress.ToString());
    }

    [Fact]
    public void Nak_SaysWhy_AndThroughARelaySetsTheBroadcastBit()
    {
        DhcpReply direct = DhcpServerReplies.Nak(Request(DhcpMessageType.Request), Server, "192.0.2.5 is not 02:00:00:00:23:01's");
        Assert.Equal([53, 54, 56], direct.Options.Select(o => o.Code));
        Assert.False(direct.Broadcast);
        DhcpReply relayed = DhcpServerReplies.Nak(Request(DhcpMessageType.Request, giaddr: "192.0.2.129"), Server, "no");
        Assert.True(relayed.Broadcast);
        (DhcpMessage message, _) = RoundTrip(relayed);
        Assert.True(message.Broadcast);
        Assert.Equal(IPAddress.Any, message.YourAddress);
    }

    [Theory]
    [InlineData("192.0.2.129", "0.0.0.0", DhcpMessageType.Offer, "192.0.2.129:67")]
    [InlineData("192.0.2.129", "0.0.0.0", DhcpMessageType.Nak, "192.0.2.129:67")]
    [InlineData("0.0.0.0", "192.0.2.77", DhcpMessageType.Ack, "192.0.2.77:68")]
    [InlineData("0.0.0.0", "192.0.2.77", DhcpMessageType.Nak, "255.255.255.255:68")]
    [InlineData("0.0.0.0", "0.0.0.0", DhcpMessageType.Offer, "255.255.255.255:68")]
    public void Destination_FollowsRfc2131Section41(string giaddr, string ciaddr, DhcpMessageType type, string expected)
    {
        Assert.Equal(expected, DhcpDestination.For(Request(DhcpMessageType.Request, giaddr: giaddr == "0.0.0.0" ? null : giaddr, ciaddr: ciaddr), type).ToString());
    }

    [Fact]
    public void RateLimit_TakesNPerClientPerSecond_EachClientApart()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limit = new DhcpRateLimit(3, time);
        byte[] a = [2, 0, 0, 0, 0, 1];
        byte[] b = [2, 0, 0, 0, 0, 2];
        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => limit.Allow(a)));
        Assert.True(limit.Allow(b));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.Allow(a));
    }

    [Fact]
    public void TryReadMessage_ReadsTheFieldsAServerNeeds()
    {
        DhcpReply reply = DhcpServerReplies.For(Request(DhcpMessageType.Discover), DhcpMessageType.Offer, Server, Terms);
        byte[] buffer = new byte[576];
        Assert.True(DhcpWire.TryWriteReply(buffer, reply with { Broadcast = true }, out int written));
        // Options a client sends: client id (61), max size (57); a max size under 576 is not one (RFC 2132 §9.10).
        byte[] extra = [61, 7, 1, 2, 0, 0, 0, 0x23, 1, 57, 2, 0x05, 0xdc, 255];
        byte[] message = [.. buffer.AsSpan(0, 240), .. extra];
        Assert.True(DhcpWire.TryReadMessage(message, out DhcpMessage? read));
        Assert.True(read!.Broadcast);
        Assert.Equal([1, 2, 0, 0, 0, 0x23, 1], read.ClientIdentifier);
        Assert.Equal((ushort)1500, read.MaxMessageSize);
        message[^3] = 0x01;
        message[^2] = 0x00;
        Assert.True(DhcpWire.TryReadMessage(message, out read));
        Assert.Null(read!.MaxMessageSize);
    }
}
