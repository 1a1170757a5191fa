using System.Globalization;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds;

/// <summary>Writes finished and failed file transfers into the timeline of the building host that fetched them.</summary>
internal sealed class TransferTimeline(IEventBus bus, BuildTracker tracker, HostResolver resolver) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (ProvisionerEvent published in bus.SubscribeAsync(stoppingToken).ConfigureAwait(false))
        {
            string? message = published switch
            {
                TransferCompleted done when !BootFileKind.IsConfig(done.Path) => $"{Name(done.Path)} transferred ({Size(done.Size)} in {done.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)",
                TransferFailed failed when !BootFileKind.IsConfig(failed.Path) => $"{Name(failed.Path)} transfer failed after {Size(failed.BytesSent)}: {failed.Reason}",
                _ => null,
            };
            if (message is not null && published is TransferEvent transfer
                && await resolver.FindAsync(transfer.Peer.Address, stoppingToken).ConfigureAwait(false) is { } hostId)
            {
                string source = transfer.Protocol == "tftp" ? EventSources.Tftp : EventSources.Http;
                tracker.Transfer(hostId, source, transfer.Path, transfer is TransferCompleted, message);
            }
        }
    }

    /// <summary>GRUB asks for "/debian12/linux": the timeline says "debian12/linux", as for pxelinux.</summary>
    private static string Name(string path) => path.StartsWith('/') ? path[1..] : path;

    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture),
        >= 1_000 => (bytes / 1e3).ToString("0.0 kB", CultureInfo.InvariantCulture),
        _ => bytes.ToString("0 B", CultureInfo.InvariantCulture),
    };
}
