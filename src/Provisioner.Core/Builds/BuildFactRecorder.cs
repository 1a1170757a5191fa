using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Builds;

/// <summary>
/// The one consumer of what the protocol adapters publish: finds the host each event belongs to
/// (by the MAC in a config name or DHCP packet, by the token, or by the peer's address through
/// <see cref="HostResolver"/>) and reports it as a <see cref="BuildFact"/>; the lifecycle decides
/// the rest. Renders record nothing: a boot config counts as served when its transfer completed.
/// </summary>
public sealed partial class BuildFactRecorder(IEventBus bus, BuildTracker tracker, HostResolver resolver, HostDirectory hosts,
    ILogger<BuildFactRecorder> logger, Hosting.ApplianceIdentity? appliance = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (ProvisionerEvent published in bus.SubscribeAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RecordAsync(published, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One event's look-up failing (a database hiccup) must not end build tracking.
                LogRecordFailed(ex, published.GetType().Name);
            }
        }
    }

    public async ValueTask RecordAsync(ProvisionerEvent published, CancellationToken cancellationToken)
    {
        switch (published)
        {
            case TransferCompleted config when BootFileKind.IsConfig(config.Path):
                await ConfigTransferredAsync(config, cancellationToken).ConfigureAwait(false);
                break;
            case TransferEvent file and (TransferCompleted or TransferFailed) when !BootFileKind.IsConfig(file.Path):
                await FileTransferredAsync(file, cancellationToken).ConfigureAwait(false);
                break;
            case BootFileNotFound missing when BootFileKind.Of(missing.Path) is BootFileKind.Kernel or BootFileKind.Initrd
                && await resolver.FindAsync(missing.Peer.Address, cancellationToken).ConfigureAwait(false) is { } hostId:
                tracker.Record(hostId, missing.Protocol == "tftp" ? EventSources.Tftp : EventSources.Http, new KernelOrInitrdMissing(Name(missing.Path)));
                break;
            case PxeDhcpObserved dhcp when MacAddress.TryParse(dhcp.Mac, out MacAddress mac)
                && await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false) is { } host:
                tracker.Record(host.Id, EventSources.Capture, new PxeDhcpSeen(dhcp.Architecture), once: "dhcp " + host.BuildToken, at: dhcp.At);
                break;
            case PreseedSent preseed:
                // The installer's own DHCP lease may differ from the PXE ROM's: its syslog lines come from this address.
                resolver.Remember(preseed.Peer, preseed.HostId);
                tracker.Record(preseed.HostId, EventSources.Http, new PreseedServed(preseed.Peer.ToString()), once: "preseed " + preseed.Token, peer: preseed.Peer);
                break;
        }
    }

    private async ValueTask ConfigTransferredAsync(TransferCompleted config, CancellationToken cancellationToken)
    {
        if (!BootConfigs.TryParsePath(config.Path, out string name, out MacAddress? mac) || mac is not { } known
            || await hosts.FindByMacAsync(known, cancellationToken).ConfigureAwait(false) is not { } host)
        {
            return;
        }
        IPAddress peer = config.Peer.Address;
        if (BuildLifecycle.EntitlementOf(HostBuild.Of(host, appliance)).Config == BootConfigChoice.Installer)
        {
            resolver.Remember(peer, host.Id);
        }
        // Keyed by build token: the first fetch of a new build is never a repeat.
        tracker.Record(host.Id, Source(config), new ConfigTransferred(name, peer.ToString()), once: "config " + host.BuildToken, peer: peer);
    }

    private async ValueTask FileTransferredAsync(TransferEvent file, CancellationToken cancellationToken)
    {
        if (await resolver.FindAsync(file.Peer.Address, cancellationToken).ConfigureAwait(false) is not { } hostId)
        {
            return;
        }
        string message = file switch
        {
            TransferCompleted done => $"{Name(done.Path)} transferred ({Size(done.Size)} in {done.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)",
            TransferFailed failed => $"{Name(failed.Path)} transfer failed after {Size(failed.BytesSent)}: {failed.Reason}",
            _ => throw new UnreachableException(),
        };
        tracker.Record(hostId, Source(file), new FileTransferred(file.Path, file is TransferCompleted, message));
    }

    private static string Source(TransferEvent transfer) => transfer.Protocol == "tftp" ? EventSources.Tftp : EventSources.Http;

    /// <summary>GRUB asks for "/debian12/linux": the timeline says "debian12/linux", as for pxelinux.</summary>
    private static string Name(string path) => path.StartsWith('/') ? path[1..] : path;

    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture),
        >= 1_000 => (bytes / 1e3).ToString("0.0 kB", CultureInfo.InvariantCulture),
        _ => bytes.ToString("0 B", CultureInfo.InvariantCulture),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Build tracking could not record a {Event}; going on with the next")]
    private partial void LogRecordFailed(Exception ex, string @event);
}
