using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Events;
using Provisioner.Core.Metrics;

namespace Provisioner.Core.Builds;

/// <summary>One file on its way to a client, as the dashboard and host page show it.</summary>
/// <param name="HostId">The building host that fetched its boot config from that address, if any.</param>
/// <param name="BytesSent">Delivered so far; null when the protocol cannot tell.</param>
public sealed record TransferProgress(int? HostId, string Protocol, IPEndPoint Peer, string Path, long Size, long? BytesSent, DateTimeOffset StartedAt)
{
    /// <summary>0–100, or null when unknown.</summary>
    public int? Percent => BytesSent is { } sent && Size > 0 ? (int)Math.Min(100, sent * 100 / Size) : null;
}

/// <summary>
/// The TFTP and HTTP transfers running now, kept from the transfer events on the bus. Progress is
/// read from the transfer itself when asked, so a fast transfer costs nothing per block.
/// </summary>
/// <remarks>
/// Ended transfers are counted into the metrics here, right after they leave the list, on the same
/// subscription: a scrape that sees a transfer counted never sees it still active (two subscribers
/// did that on a busy machine).
/// </remarks>
public sealed class TransfersInFlight(IEventBus bus, HostResolver resolver, ApplianceMetrics? metrics = null) : BackgroundService
{
    /// <summary>A flood of requests must not grow memory without bound; past this, new ones are not listed.</summary>
    public const int MaxListed = 10_000;

    private readonly ConcurrentDictionary<(string Protocol, IPEndPoint Peer, string Path), TransferStarted> _running = new();

    public int Count => _running.Count;

    /// <summary>
    /// Running transfers, oldest first; only <paramref name="hostId"/>'s when given. The host is the
    /// one whose boot config last went to the address, looked up now: the kernel's transfer may start
    /// before the config's was recorded.
    /// </summary>
    public IReadOnlyList<TransferProgress> List(int? hostId = null) =>
        _running.Values
            .Select(t => (Started: t, HostId: resolver.HostAt(t.Peer.Address)))
            .Where(t => hostId is null || t.HostId == hostId)
            .OrderBy(t => t.Started.At)
            .Select(t => new TransferProgress(t.HostId, t.Started.Protocol, t.Started.Peer, t.Started.Path, t.Started.Size, t.Started.BytesSent?.Invoke(), t.Started.At))
            .ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (ProvisionerEvent published in bus.SubscribeAsync(stoppingToken).ConfigureAwait(false))
        {
            Apply(published);
        }
    }

    internal void Apply(ProvisionerEvent published)
    {
        switch (published)
        {
            case TransferStarted started when _running.Count < MaxListed:
                _running[Key(started)] = started;
                break;
            case TransferCompleted done:
                _running.TryRemove(Key(done), out _);
                CountEnded(done, "completed", done.Size);
                break;
            case TransferFailed failed:
                _running.TryRemove(Key(failed), out _);
                CountEnded(failed, "failed", failed.BytesSent);
                break;
        }
    }

    private void CountEnded(TransferEvent transfer, string result, long bytes)
    {
        if (metrics is null)
        {
            return;
        }
        string kind = BootFileKind.Of(transfer.Path);
        metrics.Transfers.WithLabels(transfer.Protocol, kind, result).Inc();
        metrics.TransferBytes.WithLabels(transfer.Protocol, kind).Inc(bytes);
    }

    private static (string, IPEndPoint, string) Key(TransferEvent transfer) => (transfer.Protocol, transfer.Peer, transfer.Path);
}
