using System.Net;
using Provisioner.Pxe.Tests.Support;
using Provisioner.Pxe.Tftp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary>SIGTERM with TFTP transfers under way: those that finish within the grace finish, the rest are cut cleanly.</summary>
[Trait("Category", "System")]
public sealed class ShutdownTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// A lockstep client that ACKs each block after <paramref name="pace"/>; the bytes, or the ERROR
    /// that ended it. It blocks on its socket, so it runs on a thread of its own, not the pool.
    /// </summary>
    private static Task<(byte[] Received, string? Error)> FetchSlowly(RawTftpClient client, string file, TimeSpan pace, TaskCompletionSource fewBlocks) =>
        Task.Factory.StartNew<(byte[] Received, string? Error)>(() =>
        {
            client.SendRequest(file);
            var received = new List<byte>();
            for (ushort expected = 1; ; expected++)
            {
                byte[] datagram = client.Receive() ?? throw new Xunit.Sdk.XunitException($"{file}: the server went silent without an ERROR");
                if (TftpWire.TryReadError(datagram, out TftpErrorCode code, out string? message))
                {
                    return ([.. received], $"ERROR {(int)code}: {message}");
                }
                Assert.True(TftpWire.TryReadData(datagram, out ushort block, out ReadOnlySpan<byte> payload));
                if (block != expected)
                {
                    // A block sent again while our ACK was on its way: already have it.
                    expected--;
                    continue;
                }
                received.AddRange(payload.ToArray());
                if (expected == 5)
                {
                    fewBlocks.TrySetResult();
                }
                Thread.Sleep(pace);
                client.Ack(block);
                if (payload.Length < 512)
                {
                    return ([.. received], null);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task<T> OrSayWhyAsync<T>(Task<T> fetch, InventoryAppliance app)
    {
        try
        {
            return await fetch;
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}; the appliance said: {app.Output}");
        }
    }

    [Fact]
    public async Task Sigterm_TransfersUnderWay_ShortOneFinishes_LongOneIsCutWithAnError_InventoryIntact()
    {
        string config = Path.Join(_files.Root, "shutdown.json");
        await File.WriteAllTextAsync(config, """{ "Tftp": { "ShutdownGrace": "00:00:03" } }""");
        await using InventoryAppliance app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), extra: ["--config", config]);
        string small = _files.Create("small.bin", 40 * 512 + 100);
        File.Copy(small, Path.Join(app.Cwd, "boot", "small.bin"));
        var server = new IPEndPoint(IPAddress.Loopback, app.Tftp);
        using var shortClient = new RawTftpClient(server);
        using var longClient = new RawTftpClient(server);
        TaskCompletionSource shortStarted = new(), longStarted = new();

        // 41 blocks at 25 ms: about 1 s, inside the grace. 586 blocks (the 300 kB kernel) at 25 ms: far beyond it.
        Task<(byte[] Received, string? Error)> shortFetch = FetchSlowly(shortClient, "small.bin", TimeSpan.FromMilliseconds(25), shortStarted);
        Task<(byte[] Received, string? Error)> longFetch = FetchSlowly(longClient, "debian12/linux", TimeSpan.FromMilliseconds(25), longStarted);
        await Task.WhenAll(shortStarted.Task, longStarted.Task).WaitAsync(TimeSpan.FromSeconds(30));
        int exitCode = await app.StopAsync();

        (byte[] shortBytes, string? shortError) = await OrSayWhyAsync(shortFetch, app);
        (byte[] longBytes, string? longError) = await OrSayWhyAsync(longFetch, app);
        Assert.Equal(0, exitCode);
        Assert.Null(shortError);
        Assert.Equal(await File.ReadAllBytesAsync(small), shortBytes);
        Assert.Equal("ERROR 0: server is shutting down", longError);
        Assert.InRange(longBytes.Length, 1, 300_000 - 1);
        Assert.Contains("TFTP stopping: no new requests; 2 transfer(s) under way get up to 3 s to finish", app.Output, StringComparison.Ordinal);
        Assert.Contains("cutting 1 unfinished transfer(s)", app.Output, StringComparison.Ordinal);
        Assert.Contains("small.bin: sent 20580 bytes", app.Output, StringComparison.Ordinal);

        // The inventory passes SQLite's integrity check (backup checks it) and serves again.
        ProcessResult check = await app.CliAsync("backup", Path.Join(_files.Root, "after-stop.db"));
        Assert.True(check.ExitCode == 0, check.Output);
        await app.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/healthz")).StatusCode);
    }
}
