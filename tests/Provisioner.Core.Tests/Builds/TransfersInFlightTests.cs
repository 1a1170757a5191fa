using System.Net;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Builds;

public sealed class TransfersInFlightTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.200"), 2070);

    [Fact]
    public async Task Apply_StartedThenCompleted_ListedWithLiveBytesThenGone()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var transfers = new TransfersInFlight(new EventBus(), inventory.Resolver);
        long sent = 0;
        var at = DateTimeOffset.UnixEpoch;

        transfers.Apply(new TransferStarted(at, "tftp", Peer, "debian12/linux", 1000) { BytesSent = () => sent });
        transfers.Apply(new TransferStarted(at, "http", Peer, "debian12/initrd.gz", 500));
        sent = 250;
        IReadOnlyList<TransferProgress> running = transfers.List();

        Assert.Equal(["debian12/linux", "debian12/initrd.gz"], running.Select(t => t.Path).Order(StringComparer.Ordinal).Reverse());
        TransferProgress linux = running.Single(t => t.Path == "debian12/linux");
        Assert.Equal((250L, 25), (linux.BytesSent, linux.Percent));
        Assert.Null(running.Single(t => t.Protocol == "http").Percent);
        Assert.Null(linux.HostId);

        transfers.Apply(new TransferCompleted(at, "tftp", Peer, "debian12/linux", 1000, TimeSpan.FromSeconds(1)));
        transfers.Apply(new TransferFailed(at, "http", Peer, "debian12/initrd.gz", 500, 0, "closed"));
        Assert.Equal(0, transfers.Count);
    }
}
