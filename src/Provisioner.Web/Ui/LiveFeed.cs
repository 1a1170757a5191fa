using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Images;
using Provisioner.Core.Mirror;
using Provisioner.Core.Network;

namespace Provisioner.Web.Ui;

/// <summary>
/// The one source of what open pages hear over <c>/live</c>: one subscription to the event bus for
/// host changes, and one clock for what moves without an event (the bytes of transfers under way,
/// the discovered list), fanned out to every open stream. Messages carry ids, never data.
/// <list type="bullet">
/// <item><c>host</c>, data the host's id: its record or timeline changed;</item>
/// <item><c>transfers</c>, data the ids of the hosts whose files are on their way (comma-separated,
/// empty for transfers of no known host): every <see cref="Tick"/> while any run, and once more
/// when they end. A host page refreshes only when its own id is there;</item>
/// <item><c>discovered</c>: the list of unknown machines changed;</item>
/// <item><c>mirror</c>: the package mirror answered requests (its figures moved);</item>
/// <item><c>images</c>: an image build moved on or ended (the appliance's or the CLI's).</item>
/// </list>
/// </summary>
internal sealed class LiveFeed(IEventBus bus, TransfersInFlight transfers, DiscoveredMachines discovered, MirrorStats mirror, ImageBuilds images, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>A comment line this often keeps idle connections (and proxies) from timing out.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private List<Channel<string>> _streams = [];

    /// <summary>An open page's stream of messages, until <paramref name="stopping"/>; a page that falls behind loses the oldest.</summary>
    public async IAsyncEnumerable<string> ListenAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken stopping)
    {
        var stream = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        Update(streams => [.. streams, stream]);
        try
        {
            await foreach (string message in stream.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            Update(streams => streams.Where(s => s != stream).ToList());
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RelayHostChangesAsync(stoppingToken), TickAsync(stoppingToken));

    private async Task RelayHostChangesAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (ProvisionerEvent published in bus.SubscribeAsync(stopping).ConfigureAwait(false))
            {
                if (published is HostChanged changed)
                {
                    Send(string.Create(CultureInfo.InvariantCulture, $"event: host\ndata: {changed.HostId}\n\n"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Tick, time);
        long seen = discovered.Version;
        long mirrorSeen = mirror.Version;
        long imagesSeen = images.Version;
        string? running = null;
        TimeSpan quiet = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                // The hosts whose transfers run now, and those whose ended since the last tick (their pages show the end).
                string? now = transfers.Count == 0 ? null
                    : string.Join(',', transfers.List().Select(t => t.HostId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty).Distinct().Order(StringComparer.Ordinal));
                if (now is not null || running is not null)
                {
                    string hosts = string.Join(',', new[] { now, running }.OfType<string>().SelectMany(ids => ids.Split(',')).Distinct().Order(StringComparer.Ordinal));
                    Send($"event: transfers\ndata: {hosts}\n\n");
                    quiet = TimeSpan.Zero;
                }
                running = now;
                if (discovered.Version != seen)
                {
                    seen = discovered.Version;
                    Send("event: discovered\ndata: \n\n");
                    quiet = TimeSpan.Zero;
                }
                if (mirror.Version != mirrorSeen)
                {
                    mirrorSeen = mirror.Version;
                    Send("event: mirror\ndata: \n\n");
                    quiet = TimeSpan.Zero;
                }
                if (images.Version != imagesSeen)
                {
                    imagesSeen = images.Version;
                    Send("event: images\ndata: \n\n");
                    quiet = TimeSpan.Zero;
                }
                quiet += Tick;
                if (quiet >= KeepAlive)
                {
                    Send(": keep-alive\n\n");
                    quiet = TimeSpan.Zero;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Send(string message)
    {
        foreach (Channel<string> stream in Volatile.Read(ref _streams))
        {
            stream.Writer.TryWrite(message);
        }
    }

    // Copy-on-write so Send never takes the lock.
    private void Update(Func<List<Channel<string>>, List<Channel<string>>> change)
    {
        lock (_gate)
        {
            Volatile.Write(ref _streams, change(_streams));
        }
    }
}
