using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Tftp;

/// <summary>Transfers through a path that drops 10% and duplicates 5% of datagrams each way.</summary>
[Trait("Category", "System")]
public sealed class TftpLossTests : IAsyncLifetime
{
    private const long Size = 40 * 1024;
    private readonly TestFiles _files = new();
    private BootTftpServer _server = null!;
    private string _source = null!;

    public Task InitializeAsync()
    {
        _source = _files.Create("boot/initrd.gz", Size);
        // A short server timeout keeps the many retransmissions quick; clients here send no timeout option.
        _server = new BootTftpServer(Path.GetDirectoryName(_source)!, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 20;
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TftpHpa_LossyPath_CompletesIntactWithoutAmplification(int seed)
    {
        using var proxy = new LossyUdpProxy(_server.Endpoint, drop: 0.10, duplicate: 0.05, seed);
        string local = Path.Join(_files.Dir("got"), $"hpa-{seed}");

        ProcessResult result = await TftpClients.TftpHpaAsync(proxy.Port, "initrd.gz", local);

        AssertIntact(result, local, proxy, blocks: (Size / 512) + 1);
        // In lockstep each lost datagram costs one retransmission; a duplicated ACK costs none
        // (RFC 1123 §4.2.3.1). A Sorcerer's Apprentice server sends a block per duplicate too (it
        // measured 14-48 over this bound). The slack covers ACKs that arrive after the 200 ms timeout
        // when the machine is busy: those retransmissions are spurious but legitimate.
        const int lateAckSlack = 5;
        long expectedAtMost = (Size / 512) + 1 + proxy.Dropped + lateAckSlack;
        Assert.True(proxy.FromServer <= expectedAtMost, $"server sent {proxy.FromServer} datagrams; {expectedAtMost} at most expected ({proxy.Dropped} dropped, {proxy.Duplicated} duplicated)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AtftpWindowsize8_LossyPath_CompletesIntactWithoutAmplification(int seed)
    {
        using var proxy = new LossyUdpProxy(_server.Endpoint, drop: 0.10, duplicate: 0.05, seed);
        string local = Path.Join(_files.Dir("got"), $"atftp-{seed}");

        ProcessResult result = await TftpClients.AtftpAsync(proxy.Port, "initrd.gz", local, 1024, 8);

        AssertIntact(result, local, proxy, blocks: (Size / 1024) + 1);
        // RFC 7440 §4: a lost block or ACK costs at most one window of resent blocks (a lost block
        // restarts the window after the last one received; a lost ACK times out and resends the
        // window). A duplicated ACK costs nothing. Slack as in the lockstep test, a window each.
        const int window = 8, lateAckSlack = 5;
        long expectedAtMost = (Size / 1024) + 2 + ((proxy.Dropped + lateAckSlack) * window);
        Assert.True(proxy.FromServer <= expectedAtMost, $"server sent {proxy.FromServer} datagrams; {expectedAtMost} at most expected ({proxy.Dropped} dropped, {proxy.Duplicated} duplicated)");
    }

    private void AssertIntact(ProcessResult result, string local, LossyUdpProxy proxy, long blocks)
    {
        Assert.True(result.ExitCode == 0, $"client exited {result.ExitCode}: {result.Output}");
        Assert.Equal(TestFiles.Sha256(_source), TestFiles.Sha256(local));
        // The path really was lossy; each test bounds the server's traffic by what its losses explain.
        Assert.True(proxy.Dropped > 0 && proxy.Duplicated > 0, $"dropped {proxy.Dropped}, duplicated {proxy.Duplicated}");
        Assert.True(proxy.FromServer >= blocks, $"server sent {proxy.FromServer} datagrams for {blocks} blocks");
    }
}
