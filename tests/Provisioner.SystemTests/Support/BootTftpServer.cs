using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Pxe.Tftp;

namespace Provisioner.SystemTests.Support;

/// <summary>The appliance's TFTP server and boot-file handler, in process on 127.0.0.1 with an ephemeral port.</summary>
public sealed class BootTftpServer : IAsyncDisposable, ITftpTransferObserver
{
    private readonly TftpServer _server;

    public BootTftpServer(string bootDir, Action<TftpServerOptions>? configure = null)
    {
        var options = new TftpServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        configure?.Invoke(options);
        var files = new BootFiles(Options.Create(new BootFileOptions { BootDir = bootDir }));
        _server = new TftpServer(Options.Create(options), new BootTftpHandler(files), this, TimeProvider.System, NullLogger<TftpServer>.Instance);
        _server.Start();
    }

    public int Port => _server.LocalEndpoint!.Port;

    public IPEndPoint Endpoint => _server.LocalEndpoint!;

    public ConcurrentQueue<string> Completed { get; } = new();

    public ConcurrentQueue<long> Retransmissions { get; } = new();

    public void OnStarted(TftpTransferInfo transfer)
    {
    }

    public void OnCompleted(TftpTransferInfo transfer, TimeSpan elapsed, long retransmittedBlocks)
    {
        Completed.Enqueue(transfer.Path);
        Retransmissions.Enqueue(retransmittedBlocks);
    }

    public void OnFailed(TftpTransferInfo transfer, long bytesAcknowledged, string reason)
    {
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
