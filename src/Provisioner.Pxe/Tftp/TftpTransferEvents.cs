using System.Net;

namespace Provisioner.Pxe.Tftp;

/// <summary>One transfer as observers see it.</summary>
public sealed record TftpTransferInfo(IPEndPoint Peer, string Path, long Size, int BlockSize, int WindowSize)
{
    /// <summary>Bytes the client has acknowledged so far; safe to read from any thread while the transfer runs.</summary>
    public Func<long> BytesAcknowledged { get; init; } = () => 0;
}

/// <summary>Hears about transfers as they start and end; later build tracking consumes these.</summary>
public interface ITftpTransferObserver
{
    void OnStarted(TftpTransferInfo transfer);

    void OnCompleted(TftpTransferInfo transfer, TimeSpan elapsed, long retransmittedBlocks);

    void OnFailed(TftpTransferInfo transfer, long bytesAcknowledged, string reason);
}
