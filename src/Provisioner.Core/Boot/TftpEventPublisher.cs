using Provisioner.Core.Events;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core.Boot;

/// <summary>Publishes TFTP transfers on the appliance's event bus for build tracking.</summary>
internal sealed class TftpEventPublisher(IEventBus bus, TimeProvider time) : ITftpTransferObserver
{
    private const string Protocol = "tftp";

    public void OnStarted(TftpTransferInfo transfer) =>
        bus.Publish(new TransferStarted(time.GetUtcNow(), Protocol, transfer.Peer, transfer.Path, transfer.Size) { BytesSent = transfer.BytesAcknowledged });

    public void OnCompleted(TftpTransferInfo transfer, TimeSpan elapsed, long retransmittedBlocks) =>
        bus.Publish(new TransferCompleted(time.GetUtcNow(), Protocol, transfer.Peer, transfer.Path, transfer.Size, elapsed));

    public void OnFailed(TftpTransferInfo transfer, long bytesAcknowledged, string reason) =>
        bus.Publish(new TransferFailed(time.GetUtcNow(), Protocol, transfer.Peer, transfer.Path, transfer.Size, bytesAcknowledged, reason));
}
