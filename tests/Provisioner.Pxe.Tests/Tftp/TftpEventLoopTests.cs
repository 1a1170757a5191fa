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
        await using var server = new TestTftpServer(Files(), o => o.EventLoops = 1);
        const int clients = 40;

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
    public async Task Stop_TransfersInFlight_EndAsFailedWithTheReason()
    {
        await using var server = new TestTftpServer(Files(), o => o.EventLoops = 2);
        using RawTftpClient first = server.Client();
        using RawTftpClient second = server.Client();
        first.SendRequest("five");
        second.SendRequest("five");
        first.ReceiveData();
        second.ReceiveData();

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, server.Events.Count(e => e == "failed five: server is shutting down"));
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
