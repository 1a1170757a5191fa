using System.Net;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Core.Events;
using Provisioner.Core.Boot;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core.Tests.Boot;

public class TftpEventPublisherTests
{
    private sealed class RecordingBus : IEventBus
    {
        public List<ProvisionerEvent> Published { get; } = [];

        public void Publish(ProvisionerEvent published) => Published.Add(published);

        public IAsyncEnumerable<ProvisionerEvent> SubscribeAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public void Transfers_PublishedWithPeerPathAndOutcome()
    {
        var bus = new RecordingBus();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var publisher = new TftpEventPublisher(bus, time);
        var peer = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 49152);
        long acknowledged = 0;
        var transfer = new TftpTransferInfo(peer, "pxelinux.0", 42430, 1408, 1) { BytesAcknowledged = () => acknowledged };

        publisher.OnStarted(transfer);
        // The started event reads the transfer's progress when asked, not once.
        Func<long> progress = ((TransferStarted)bus.Published[0]).BytesSent!;
        acknowledged = 2816;
        Assert.Equal(2816, progress());
        publisher.OnCompleted(transfer, TimeSpan.FromMilliseconds(3), 0);
        publisher.OnFailed(transfer with { Path = "linux" }, 1408, "no ACK");

        Assert.Equal(
            [
                new TransferStarted(time.GetUtcNow(), "tftp", peer, "pxelinux.0", 42430) { BytesSent = progress },
                new TransferCompleted(time.GetUtcNow(), "tftp", peer, "pxelinux.0", 42430, TimeSpan.FromMilliseconds(3)),
                new TransferFailed(time.GetUtcNow(), "tftp", peer, "linux", 42430, 1408, "no ACK"),
            ],
            bus.Published);
    }
}
