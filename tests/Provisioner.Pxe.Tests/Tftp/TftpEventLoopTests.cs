using Provisioner.Pxe.Tests.Support;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

/// <summary>The loop is reached through the server: these pin what one loop serving many transfers must keep.</summary>
public class TftpEventLoopTests
{
    private static readonly byte[] FiveBlocks = Enumerable.Range(0, 2100).Select(i => (byte)(i * 7)).ToArray();

    private static Dictionary<string, byte[]> Files() => new() { ["five"] = FiveBlocks };

    [Fact]
    public async Task ManyTransfers_OneLoop_EachGetsItsWholeFile()
    {
        const int clients = 40;
        // All 40 come from 127.0.0.1: the per-address limit (16) is for real machines, not this crowd.
        await using var server = new TestTftpServer(Files(), o => (o.EventLoops, o.MaxTransfersPerClient) = (1, clients));

        // Each client blocks on its socket: on threads of their own, not the pool the server needs.
        byte[][] received = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ =>
            Task.Factory.StartNew(() => FetchLockstep(server, "five", 5), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        Assert.All(received, r => Assert.Equal(FiveBlocks, r));
        await WaitUntilAsync(() => server.Events.Count(e => e == "completed five") == clients);
    }

    [Fact]
    public async Task SourceFault_EndsThatTransferOnly()
    {
        await using var server = new TestTftpServer(Files(), o => o.EventLoops = 1);
        using RawTftpClient healthy = server.Client();
        using RawTftpClient broken = server.Client();
        healthy.SendRequest("five");
        Assert.Equal(1, healthy.ReceiveData().Block);

        broken.SendRequest(TestTftpServer.UnreadableFile);
        (TftpErrorCode code, string message) = broken.ReceiveError();

        Assert.Equal(TftpErrorCode.NotDefined, code);
        Assert.Equal("internal server error", message);
        // The transfer that was already running on the same loop goes on.
        healthy.Ack(1);
        Assert.Equal(2, healthy.ReceiveData().Block);
    }

    [Fact]
    public async Task Stop_TransfersStillRunningAfterTheGrace_AreCutWithAnErrorToEachClient()
    {
        TimeSpan grace = TimeSpan.FromSeconds(10);
        await using var server = new TestTftpServer(Files(), o => (o.EventLoops, o.ShutdownGrace) = (2, grace));
        using RawTftpClient first = server.Client();
        using RawTftpClient second = server.Client();
        first.SendRequest("five");
        second.SendRequest("five");
        first.ReceiveData();
        second.ReceiveData();

        Task stopping = server.StopAsync();
        // The grace is on the server's clock; moved on until the stop ends (the first move may come
        // before the grace's timer is set, and only makes the transfers resend a block).
        for (int i = 0; i < 5 && !stopping.IsCompleted; i++)
        {
            server.Time.Advance(grace);
            await Task.WhenAny(stopping, Task.Delay(200));
        }
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((TftpErrorCode.NotDefined, "server is shutting down"), ErrorAfterResentData(first));
        Assert.Equal((TftpErrorCode.NotDefined, "server is shutting down"), ErrorAfterResentData(second));
        Assert.Equal(2, server.Events.Count(e => e == "failed five: server is shutting down"));
    }

    [Fact]
    public async Task Stop_TransferUnderWay_MayFinishWithinTheGrace_NewRequestsAreNotHeard()
    {
        await using var server = new TestTftpServer(Files(), o => (o.EventLoops, o.ShutdownGrace) = (1, TimeSpan.FromSeconds(10)));
        using RawTftpClient running = server.Client();
        running.SendRequest("five");
        Assert.Equal(1, running.ReceiveData().Block);

        Task stopping = server.StopAsync();
        using RawTftpClient late = server.Client();
        late.SendRequest("five");
        for (ushort block = 1; block < 5; block++)
        {
            running.Ack(block);
            Assert.Equal(block + 1, running.ReceiveData().Block);
        }
        running.Ack(5);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["started five", "completed five"], server.Events);
        Assert.Null(late.Receive(TimeSpan.FromMilliseconds(200)));
    }

    private static (TftpErrorCode, string) ErrorAfterResentData(RawTftpClient client)
    {
        for (int i = 0; i < 10; i++)
        {
            byte[] datagram = client.Receive() ?? throw new Xunit.Sdk.XunitException("no ERROR from the server");
            if (TftpWire.TryReadError(datagram, out TftpErrorCode code, out string? message))
            {
                return (code, message);
            }
        }
        throw new Xunit.Sdk.XunitException("only DATA from the server, never an ERROR");
    }

    private static byte[] FetchLockstep(TestTftpServer server, string file, int blocks)
    {
        using RawTftpClient client = server.Client();
        client.SendRequest(file);
        var content = new List<byte>();
        for (ushort block = 1; block <= blocks; block++)
        {
            (ushort number, byte[] payload) = client.ReceiveData();
            Assert.Equal(block, number);
            content.AddRange(payload);
            client.Ack(block);
        }
        return [.. content];
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }
        Assert.True(condition());
    }
}
