using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Tftp;

/// <summary>Real clients fetch files of awkward sizes; what arrives must hash like the source.</summary>
[Trait("Category", "System")]
public sealed class TftpClientInteropTests : IClassFixture<TftpClientInteropTests.Fixture>
{
    private const long FortyKiB = 40 * 1024;
    private const long FortyMiB = 40L * 1024 * 1024;
    private readonly Fixture _fixture;

    public TftpClientInteropTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public TestFiles Files { get; } = new();

        public BootTftpServer Server { get; private set; } = null!;

        public string BootDir => Path.Join(Files.Root, "boot");

        public Task InitializeAsync()
        {
            foreach (long size in new[] { 0L, 1L, 512L, 1468L, FortyKiB, FortyMiB })
            {
                Files.Create($"boot/file-{size}", size);
            }
            Server = new BootTftpServer(BootDir);
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Files.Dispose();
        }
    }

    /// <summary>
    /// Each client with each size: 0 B, 1 B, exactly one block at the client's block size, 40 KiB and
    /// 40 MiB. tftp-hpa's client sends no options, so its block is 512 bytes; curl 7.88.1 fails every
    /// empty-file download with error 71 ("getpeername() failed"), against tftpd-hpa as well, so the
    /// empty file is left to the other clients.
    /// </summary>
    public static TheoryData<string, long> Cases()
    {
        var cases = new TheoryData<string, long>();
        foreach (long size in new[] { 0L, 1L, 512L, FortyKiB, FortyMiB })
        {
            cases.Add("tftp-hpa", size);
        }
        foreach (string client in new[] { "atftp blksize 1468", "atftp windowsize 16", "curl blksize 1468", "busybox blksize 1468" })
        {
            foreach (long size in new[] { 0L, 1L, 1468L, FortyKiB, FortyMiB })
            {
                if (!(client.StartsWith("curl", StringComparison.Ordinal) && size == 0))
                {
                    cases.Add(client, size);
                }
            }
        }
        // 81,921 blocks at 512 bytes: block numbers pass 65535 and wrap.
        cases.Add("curl blksize 512", FortyMiB);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Client_FetchesFile_ArrivesIntact(string client, long size)
    {
        string local = Path.Join(_fixture.Files.Dir("got"), $"{client.Replace(' ', '-')}-{size}");
        string remote = $"file-{size}";
        int port = _fixture.Server.Port;

        ProcessResult result = client switch
        {
            "tftp-hpa" => await TftpClients.TftpHpaAsync(port, remote, local),
            "atftp blksize 1468" => await TftpClients.AtftpAsync(port, remote, local, 1468, 1),
            "atftp windowsize 16" => await TftpClients.AtftpAsync(port, remote, local, 1468, 16),
            "curl blksize 1468" => await TftpClients.CurlAsync(port, remote, local, 1468),
            "curl blksize 512" => await TftpClients.CurlAsync(port, remote, local, 512),
            "busybox blksize 1468" => await TftpClients.BusyboxAsync(port, remote, local, 1468),
            _ => throw new ArgumentOutOfRangeException(nameof(client), client, "no such client"),
        };

        AssertSameFile(result, size, local);
    }

    private void AssertSameFile(ProcessResult result, long size, string local)
    {
        Assert.True(result.ExitCode == 0, $"client exited {result.ExitCode}: {result.Output}");
        Assert.True(File.Exists(local), $"nothing written: {result.Output}");
        Assert.Equal(size, new FileInfo(local).Length);
        Assert.Equal(TestFiles.Sha256(Path.Join(_fixture.BootDir, $"file-{size}")), TestFiles.Sha256(local));
    }
}
