using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Support;

/// <summary>A TFTP server on 127.0.0.1 with an ephemeral port, files in memory and a fake clock.</summary>
internal sealed class TestTftpServer : IAsyncDisposable, ITftpHandler, ITftpTransferObserver
{
    private readonly Dictionary<string, byte[]> _files;
    private readonly TftpServer _server;

    public TestTftpServer(Dictionary<string, byte[]> files, Action<TftpServerOptions>? configure = null)
    {
        _files = files;
        // No shutdown grace unless a test asks: it runs on the fake clock, which only the test moves.
        var options = new TftpServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), ShutdownGrace = TimeSpan.Zero };
        configure?.Invoke(options);
        _server = new TftpServer(Options.Create(options), this, this, Time, NullLogger<TftpServer>.Instance);
        _server.Start();
    }

    public FakeTimeProvider Time { get; } = new();

    public IPEndPoint Endpoint => _server.LocalEndpoint!;

    public int ActiveTransfers => _server.ActiveTransfers;

    public ConcurrentQueue<string> Events { get; } = new();

    public RawTftpClient Client(IPAddress? local = null) => new(Endpoint, local);

    /// <summary>A file whose every read fails, as a disk error would.</summary>
    public const string UnreadableFile = "unreadable";

    public ValueTask<TftpReadResult> OpenAsync(string path, IPEndPoint peer, IPAddress local, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            path == UnreadableFile ? TftpReadResult.Found(new UnreadableSource())
            : _files.TryGetValue(path, out byte[]? content) ? TftpReadResult.Found(new MemoryTftpSource(content))
            : TftpReadResult.NotFound($"{path}: no such file"));

    public void OnStarted(TftpTransferInfo transfer) => Events.Enqueue($"started {transfer.Path}");

    public void OnCompleted(TftpTransferInfo transfer, TimeSpan elapsed, long retransmittedBlocks) =>
        Events.Enqueue($"completed {transfer.Path}");

    public void OnFailed(TftpTransferInfo transfer, long bytesAcknowledged, string reason) =>
        Events.Enqueue($"failed {transfer.Path}: {reason}");

    /// <summary>Moves the fake clock on until a datagram arrives (the server arms its timer just after sending).</summary>
    public byte[] AdvanceUntilReceived(RawTftpClient client, TimeSpan step)
    {
        for (int i = 0; i < 50; i++)
        {
            Time.Advance(step);
            if (client.Receive(TimeSpan.FromMilliseconds(100)) is { } datagram)
            {
                return datagram;
            }
        }
        throw new Xunit.Sdk.XunitException("the server sent nothing after its timeout");
    }

    public Task StopAsync() => _server.StopAsync(CancellationToken.None);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class UnreadableSource : ITftpSource
    {
        public long Length => 4096;

        public int Read(long offset, Span<byte> buffer) => throw new IOException("Input/output error");

        public void Dispose()
        {
        }
    }
}
