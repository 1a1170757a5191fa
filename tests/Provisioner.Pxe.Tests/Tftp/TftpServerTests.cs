using System.Net;
using Provisioner.Pxe.Tests.Support;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class TftpServerTests
{
    private static readonly byte[] ThreeBlocks = Enumerable.Range(0, 1100).Select(i => (byte)i).ToArray();

    private static Dictionary<string, byte[]> Files() => new()
    {
        ["three"] = ThreeBlocks,
        ["text"] = "a\nb"u8.ToArray(),
    };

    /// <summary>Receives and ACKs blocks 1..<paramref name="blocks"/> in order; returns their payloads.</summary>
    private static List<byte> ReceiveLockstep(RawTftpClient client, int blocks)
    {
        var received = new List<byte>();
        for (ushort block = 1; block <= blocks; block++)
        {
            (ushort number, byte[] payload) = client.ReceiveData();
            Assert.Equal(block, number);
            received.AddRange(payload);
            client.Ack(block);
        }
        return received;
    }

    [Fact]
    public async Task Read_NoOptions_LockstepDeliversFileAndReportsEvents()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three");

        Assert.Equal(ThreeBlocks, ReceiveLockstep(client, blocks: 3));
        await WaitForEventAsync(server, "completed three");
        Assert.Equal(["started three", "completed three"], server.Events);
    }

    [Fact]
    public async Task Read_RequestRepeatedFromSamePort_OneTransferAnswers()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three");
        client.SendRequest("three");

        Assert.Equal(ThreeBlocks, ReceiveLockstep(client, blocks: 3));
        await WaitForEventAsync(server, "completed three");
        Assert.Equal(["started three", "completed three"], server.Events);
        Assert.Null(client.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Read_WithOptions_OackFirstThenDataInNegotiatedBlocks()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three", "octet", new TftpOption("tsize", "0"), new TftpOption("blksize", "1000"), new TftpOption("foo", "bar"));

        Assert.True(TftpWire.TryReadOptionAck(client.Receive(), out List<TftpOption>? options));
        Assert.Equal([new TftpOption("tsize", "1100"), new TftpOption("blksize", "1000")], options);
        client.Ack(0);
        Assert.Equal(1000, client.ReceiveData().Payload.Length);
        client.Ack(1);
        Assert.Equal(100, client.ReceiveData().Payload.Length);
    }

    [Fact]
    public async Task Read_Netascii_ConvertsLineEnds()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("text", "NETASCII");

        Assert.Equal("a\r\nb"u8.ToArray(), client.ReceiveData().Payload);
    }

    [Fact]
    public async Task WriteRequest_RefusedWithAccessViolation()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest(new TftpRequest(TftpOpcode.WriteRequest, "three", "octet", []));

        Assert.Equal(TftpErrorCode.AccessViolation, client.ReceiveError().Code);
    }

    [Theory]
    [InlineData("mail")]
    [InlineData("binary")]
    public async Task Read_UnsupportedMode_RefusedWithIllegalOperation(string mode)
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three", mode);

        Assert.Equal(TftpErrorCode.IllegalOperation, client.ReceiveError().Code);
    }

    [Fact]
    public async Task Read_MissingFile_FileNotFound()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("pxelinux.cfg/C000020A");

        Assert.Equal(TftpErrorCode.FileNotFound, client.ReceiveError().Code);
    }

    [Fact]
    public async Task PacketFromWrongTid_GetsError5AndTransferContinues()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        using RawTftpClient intruder = server.Client();
        client.SendRequest("three");
        Assert.Equal(1, client.ReceiveData().Block);

        intruder.SendRaw([0, 4, 0, 1], client.TransferEndpoint!);
        Assert.Equal(TftpErrorCode.UnknownTransferId, intruder.ReceiveError().Code);

        client.Ack(1);
        Assert.Equal(2, client.ReceiveData().Block);
    }

    [Fact]
    public async Task DuplicateAck_DoesNotCauseDuplicateData()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three");
        client.ReceiveData();

        client.Ack(1);
        client.Ack(1);
        Assert.Equal(2, client.ReceiveData().Block);
        client.Ack(2);

        // Had the duplicate ACK 1 triggered a resend, DATA 2 would come again before DATA 3.
        Assert.Equal(3, client.ReceiveData().Block);
    }

    [Fact]
    public async Task NoAck_RetransmitsOnTimeoutThenGivesUp()
    {
        await using var server = new TestTftpServer(Files(), o => o.MaxRetries = 2);
        using RawTftpClient client = server.Client();
        client.SendRequest("three");
        Assert.Equal(1, client.ReceiveData().Block);

        for (int retry = 0; retry < 2; retry++)
        {
            byte[] again = server.AdvanceUntilReceived(client, TimeSpan.FromSeconds(1));
            Assert.True(TftpWire.TryReadData(again, out ushort block, out _));
            Assert.Equal(1, block);
        }
        for (int i = 0; i < 50 && !server.Events.Any(e => e.StartsWith("failed", StringComparison.Ordinal)); i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.Contains("failed three: no ACK after 3 timeouts of 1 s", server.Events);
    }

    [Fact]
    public async Task ClientError_EndsTransferAsFailed()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three", "octet", new TftpOption("tsize", "0"));
        client.Receive();

        // Firmware that only wanted the size answers the OACK with ERROR 8.
        client.SendRaw([0, 5, 0, 8, (byte)'x', 0], client.TransferEndpoint!);

        await WaitForEventAsync(server, "failed three: client sent ERROR 8: x");
    }

    [Fact]
    public async Task ConcurrencyLimit_ExtraRequestGetsBusyError()
    {
        await using var server = new TestTftpServer(Files(), o => o.MaxTransfers = 1);
        using RawTftpClient first = server.Client();
        using RawTftpClient second = server.Client();
        first.SendRequest("three");
        first.ReceiveData();

        second.SendRequest("three");

        (TftpErrorCode code, string message) = second.ReceiveError();
        Assert.Equal(TftpErrorCode.NotDefined, code);
        Assert.Contains("busy", message, StringComparison.Ordinal);
    }

    /// <summary>One sender held all 256 slots with 260 requests; now it gets its share and everyone else is served.</summary>
    [Fact]
    public async Task PerClientLimit_OneAddressGetsItsShare_AnotherAddressIsStillServed()
    {
        await using var server = new TestTftpServer(Files(), o => o.MaxTransfersPerClient = 2);
        var greedy = IPAddress.Parse("127.0.0.2");
        using RawTftpClient first = server.Client(greedy);
        using RawTftpClient second = server.Client(greedy);
        using RawTftpClient third = server.Client(greedy);
        using RawTftpClient other = server.Client();
        first.SendRequest("three");
        first.ReceiveData();
        second.SendRequest("three");
        second.ReceiveData();

        third.SendRequest("three");
        other.SendRequest("three");

        (TftpErrorCode code, string message) = third.ReceiveError();
        Assert.Equal(TftpErrorCode.NotDefined, code);
        Assert.Contains("from your address", message, StringComparison.Ordinal);
        Assert.Equal(ThreeBlocks, ReceiveLockstep(other, blocks: 3));
    }

    /// <summary>A client that asks for a long timeout and then goes silent frees its slot within GiveUpAfter, not timeout x retries.</summary>
    [Fact]
    public async Task SilentClient_GivesUpAfterTheBoundNotTimeoutTimesRetries()
    {
        await using var server = new TestTftpServer(Files(), o => o.GiveUpAfter = TimeSpan.FromSeconds(30));
        using RawTftpClient client = server.Client();
        client.SendRequest("three", "octet", new TftpOption("timeout", "10"));
        Assert.True(TftpWire.TryReadOptionAck(client.Receive(), out _));

        // 10 s x (5 retries + 1) would be 60 s; the bound ends it at 30.
        for (int i = 0; i < 31 && !server.Events.Contains("failed three: nothing new acknowledged for 30 s"); i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await WaitForEventAsync(server, "failed three: nothing new acknowledged for 30 s");
        Assert.Equal(0, server.ActiveTransfers);
    }

    /// <summary>The OACK for blksize 8 is longer than a block: it was written into the block buffer and never sent.</summary>
    [Theory]
    [InlineData("tsize", "0")]
    [InlineData("windowsize", "4")]
    public async Task SmallestBlockSizeWithAnotherOption_OackSent(string name, string value)
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRequest("three", "octet", new TftpOption("blksize", "8"), new TftpOption(name, value));

        Assert.True(TftpWire.TryReadOptionAck(client.Receive(), out List<TftpOption>? options));
        Assert.Equal(new TftpOption("blksize", "8"), options![0]);
        client.Ack(0);
        Assert.Equal(ThreeBlocks[..8], client.ReceiveData().Payload);
    }

    /// <summary>A name of 500 bytes or more made the "no such file" ERROR too long to send, and the client waited out its timeout.</summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1400)]
    public async Task LongMissingName_GetsAnError(int length)
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        client.SendRaw(LongRequest(length), server.Endpoint);

        (TftpErrorCode code, string message) = client.ReceiveError();
        Assert.Equal(TftpErrorCode.FileNotFound, code);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
    }

    private static byte[] LongRequest(int nameLength) =>
        [0, 1, .. System.Text.Encoding.ASCII.GetBytes(new string('a', nameLength)), 0, .. "octet"u8, 0];

    [Fact]
    public async Task MalformedDatagrams_DroppedAndServerKeepsServing()
    {
        await using var server = new TestTftpServer(Files());
        using RawTftpClient client = server.Client();
        byte[][] garbage = [[], [0], [0, 1], [0, 1, (byte)'x'], [0, 4, 0, 1], [0, 9, 1, 2, 3], [0, 1, (byte)'a', 0, (byte)'o', 0, (byte)'n', 0]];

        foreach (byte[] datagram in garbage)
        {
            client.SendRaw(datagram, server.Endpoint);
        }
        client.SendRequest("three");

        Assert.Equal(1, client.ReceiveData().Block);
    }

    private static async Task WaitForEventAsync(TestTftpServer server, string expected)
    {
        for (int i = 0; i < 250 && !server.Events.Contains(expected); i++)
        {
            await Task.Delay(20);
        }
        Assert.Contains(expected, server.Events);
    }
}
