using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Metrics;

/// <summary>
/// Times ended builds from the event bus, and, when Prometheus scrapes, reads what is cheaper to ask
/// than to track: transfers under way, hosts by state. Ended transfers are counted by
/// <see cref="TransfersInFlight"/>, as they leave its list.
/// </summary>
internal sealed partial class MetricsRecorder : BackgroundService
{
    private readonly IEventBus _bus;
    private readonly ApplianceMetrics _metrics;
    private readonly InventoryDatabase _database;
    private readonly TransfersInFlight _inFlight;
    private readonly ILogger<MetricsRecorder> _logger;

    public MetricsRecorder(IEventBus bus, ApplianceMetrics metrics, InventoryDatabase database, TransfersInFlight inFlight, ILogger<MetricsRecorder> logger)
    {
        _bus = bus;
        _metrics = metrics;
        _database = database;
        _inFlight = inFlight;
        _logger = logger;
        metrics.Registry.AddBeforeCollectCallback(OnScrapeAsync);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (ProvisionerEvent published in _bus.SubscribeAsync(stoppingToken).ConfigureAwait(false))
        {
            if (published is BuildEnded ended)
            {
                await ObserveBuildAsync(ended, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A build runs from its latest "build requested" (the step that made it pending) to its end.</summary>
    private async Task ObserveBuildAsync(BuildEnded ended, CancellationToken cancellationToken)
    {
        try
        {
            await using InventoryDbContext db = _database.CreateContext();
            DateTime end = ended.At.UtcDateTime;
            DateTime? requested = await db.Events
                .Where(e => e.HostId == ended.HostId && e.State == BuildState.Pending && e.At <= end)
                .MaxAsync(e => (DateTime?)e.At, cancellationToken).ConfigureAwait(false);
            // A first boot that never came fails a build already timed when it was installed.
            if (requested is { } start && ended.Before != BuildState.Installed)
            {
                _metrics.BuildDuration.WithLabels(ended.State.Name()).Observe((end - start).TotalSeconds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBuildNotTimed(ex, ended.HostId);
        }
    }

    private async Task OnScrapeAsync(CancellationToken cancellationToken)
    {
        foreach (string protocol in (string[])["tftp", "http"])
        {
            _metrics.ActiveTransfers.WithLabels(protocol).Set(0);
        }
        foreach (IGrouping<string, TransferProgress> running in _inFlight.List().GroupBy(t => t.Protocol))
        {
            _metrics.ActiveTransfers.WithLabels(running.Key).Set(running.Count());
        }
        try
        {
            await using InventoryDbContext db = _database.CreateContext();
            var counts = await db.Hosts.GroupBy(h => h.State).Select(g => new { State = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken).ConfigureAwait(false);
            foreach (BuildState state in Enum.GetValues<BuildState>())
            {
                _metrics.Hosts.WithLabels(state.Name()).Set(counts.GetValueOrDefault(state));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The scrape still answers, with the last counts; the database's trouble is logged.
            LogHostsNotCounted(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not time the build of host {HostId}")]
    private partial void LogBuildNotTimed(Exception ex, int hostId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count hosts by state for /metrics")]
    private partial void LogHostsNotCounted(Exception ex);
}
