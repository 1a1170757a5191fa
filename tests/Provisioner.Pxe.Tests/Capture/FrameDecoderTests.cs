using System.Net;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Tests.Capture;

public sealed class FrameDecoderTests
{
    private static List<Observation> Decode(string fixture) =>
        PcapFixtures.Read(fixture)
            .Select(f => FrameDecoder.TryDecode(f.Frame, f.At, out Observation? o) ? o : null)
            .OfType<Observation>()
            .ToList();

    [Fact]
    public void TryDecode_IpxePxeDhcp_GivesVendorArchUuidAndTheAssignedAddress()
    {
        List<DhcpObservation> dhcp = Decode("ipxe-dhcp.pcap").Cast<DhcpObservation>().ToList();

        Assert.Equal(6, dhcp.Count);
        DhcpObservation discover = dhcp[0];
        Assert.Equal(DhcpMessageType.Discover, discover.Message.MessageType);
        Assert.Equal("52:54:00:12:34:56", discover.ClientMac.ToString());
        Assert.Equal("PXEClient:Arch:00000:UNDI:002001", discover.Message.VendorClass);
        Assert.True(discover.Message.IsPxe);
        Assert.Equal(DhcpClientArchitecture.X86Bios, discover.Message.Architecture);
        Assert.Equal(Guid.Empty, discover.Message.ClientUuid);
        DhcpObservation ack = dhcp.Single(d => d.Message.MessageType == DhcpMessageType.Ack);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ack.Message.ServerIdentifier);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ack.Source);
        Assert.Equal("52:54:00:12:34:56", ack.ClientMac.ToString());
        Assert.Equal(ack.Message.YourAddress, dhcp.Single(d => d.Message.MessageType == DhcpMessageType.Request).Message.RequestedAddress);
    }

    [Fact]
    public void TryDecode_UdhcpcDhcp_GivesHostnameAndVendorClass()
    {
        List<DhcpObservation> dhcp = Decode("udhcpc-dhcp.pcap").Cast<DhcpObservation>().ToList();

        DhcpObservation request = dhcp.First(d => d.Message.MessageType == DhcpMessageType.Request);
        Assert.Equal("rack1-node7", request.Message.Hostname);
        Assert.Equal("udhcpc-test", request.Message.VendorClass);
        Assert.False(request.Message.IsPxe);
        Assert.Null(request.Message.Architecture);
        Assert.Equal("02:00:00:00:00:42", request.ClientMac.ToString());
        Assert.Equal([DhcpMessageType.Discover, DhcpMessageType.Offer, DhcpMessageType.Request, DhcpMessageType.Ack],
            dhcp.Select(d => d.Message.MessageType).Distinct());
    }

    [Fact]
    public void TryDecode_Arp_RequestsRepliesAndGratuitous()
    {
        List<ArpObservation> arp = Decode("arp.pcap").Cast<ArpObservation>().ToList();

        Assert.Equal(11, arp.Count);
        ArpObservation first = arp[0];
        Assert.False(first.IsReply);
        Assert.Equal("02:00:00:00:00:42", first.SenderMac.ToString());
        Assert.Equal(IPAddress.Parse("192.0.2.42"), first.SenderIp);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), first.TargetIp);
        Assert.True(arp[1].IsReply);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), arp[1].SenderIp);
        Assert.Contains(arp, a => a.IsGratuitous && a.SenderIp.Equals(IPAddress.Parse("192.0.2.42")));
    }

    [Fact]
    public void TryDecode_EveryTruncationOfEveryFixtureFrame_NeverThrows()
    {
        foreach (string fixture in new[] { "ipxe-dhcp.pcap", "udhcpc-dhcp.pcap", "arp.pcap" })
        {
            foreach ((byte[] frame, DateTimeOffset at) in PcapFixtures.Read(fixture))
            {
                for (int length = 0; length < frame.Length; length++)
                {
                    // Whole frames decode; cut ones may or may not (ARP padding, DHCP options), but never throw.
                    _ = FrameDecoder.TryDecode(frame.AsSpan(0, length), at, out _);
                }
            }
        }
    }

    /// <summary>Every real frame, and every cut of it, reads as PacketDotNet reads it (the decoder before it read spans).</summary>
    [Theory]
    [InlineData("ipxe-dhcp.pcap")]
    [InlineData("udhcpc-dhcp.pcap")]
    [InlineData("arp.pcap")]
    [InlineData("malformed.pcap")]
    public void TryDecode_EveryFixtureFrameAndEveryCutOfIt_ReadsAsPacketDotNetDoes(string fixture)
    {
        int compared = 0, decoded = 0;
        foreach ((byte[] whole, DateTimeOffset at) in PcapFixtures.Read(fixture))
        {
            for (int length = 0; length <= whole.Length; length++)
            {
                byte[] frame = whole[..length];
                string? expected = PacketDotNetOracle.Read(frame);
                string? actual = FrameDecoder.TryDecode(frame, at, out Observation? observation) ? PacketDotNetOracle.Describe(observation) : null;
                Assert.True(expected == actual, $"{fixture}, {length} of {whole.Length} bytes: PacketDotNet read '{expected}', the decoder '{actual}'");
                compared++;
                decoded += actual is null ? 0 : 1;
            }
        }
        Assert.True(decoded > 0 || fixture == "malformed.pcap", $"{fixture}: nothing decoded in {compared} frames");
    }

    [Fact]
    public void TryDecode_MalformedFixture_TurnsDownBrokenFramesAndReadsTheWholeOne()
    {
        List<(byte[] Frame, DateTimeOffset At)> frames = PcapFixtures.Read("malformed.pcap");
        bool[] decoded = frames.Select(f => FrameDecoder.TryDecode(f.Frame, f.At, out _)).ToArray();

        // Only the oversized frame (a whole DHCP message with junk after it, which UDP's length
        // excludes) decodes; the cut, garbled and random ones are turned down.
        Assert.Equal([false, false, true, false, false, false, false, false, false], decoded);
    }

    [Fact]
    public void TryDecode_100000RandomAndMutatedFrames_NoExceptionAndNoMemoryGrowth()
    {
        var random = new Random(11);
        List<byte[]> seeds = new[] { "ipxe-dhcp.pcap", "udhcpc-dhcp.pcap", "arp.pcap" }.SelectMany(PcapFixtures.Read).Select(f => f.Frame).ToList();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] frame;
            if (i % 2 == 0)
            {
                frame = new byte[random.Next(0, 1600)];
                random.NextBytes(frame);
            }
            else
            {
                byte[] seed = seeds[random.Next(seeds.Count)];
                frame = seed[..random.Next(0, seed.Length + 1)];
                for (int flips = random.Next(1, 8); flips > 0 && frame.Length > 0; flips--)
                {
                    frame[random.Next(frame.Length)] = (byte)random.Next(256);
                }
            }
            decoded += FrameDecoder.TryDecode(frame, DateTimeOffset.UnixEpoch, out _) ? 1 : 0;
        }
        long after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.InRange(decoded, 1, 99_999);
        Assert.True(after - before < 8 * 1024 * 1024, $"managed heap grew by {(after - before) / 1024} KiB over 100,000 frames");
    }

    [Fact]
    public void TryDecode_GarbageAndOversizedFrames_ReturnFalse()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] garbage = new byte[random.Next(0, 1600)];
            random.NextBytes(garbage);
            _ = FrameDecoder.TryDecode(garbage, DateTimeOffset.UnixEpoch, out _);
        }
        Assert.False(FrameDecoder.TryDecode(new byte[70_000], DateTimeOffset.UnixEpoch, out _));
        Assert.False(FrameDecoder.TryDecode([], DateTimeOffset.UnixEpoch, out _));
    }
}
