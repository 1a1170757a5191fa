using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Events;

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
public sealed class TransfersInFlight(IEventBus bus, BuildTracker tracker) : BackgroundService
{
    /// <summary>A flood of requests must not grow memory without bound; past this, new ones are not listed.</summary>
    public const int MaxListed = 10_000;

    private readonly ConcurrentDictionary<(string Protocol, IPEndPoint Peer, string Path), Entry> _running = new();

    public int Count => _running.Count;

    /// <summary>Running transfers, oldest first; only <paramref name="hostId"/>'s when given.</summary>
    public IReadOnlyList<TransferProgress> List(int? hostId = null) =>
        _running.Values
            .Where(e => hostId is null || e.HostId == hostId)
            .OrderBy(e => e.Started.At)
            .Select(e => new TransferProgress(e.HostId, e.Started.Protocol, e.Started.Peer, e.Started.Path, e.Started.Size, e.Started.BytesSent?.Invoke(), e.Started.At))
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
                _running[Key(started)] = new Entry(started, tracker.HostAt(started.Peer.Address));
                break;
            case TransferCompleted or TransferFailed:
                _running.TryRemove(Key((TransferEvent)published), out _);
                break;
        }
    }

    private static (string, IPEndPoint, string) Key(TransferEvent transfer) => (transfer.Protocol, transfer.Peer, transfer.Path);

    private sealed record Entry(TransferStarted Started, int? HostId);
}
