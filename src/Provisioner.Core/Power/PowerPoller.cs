using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Power;

/// <summary>
/// Reads the power state of every host with a BMC every <see cref="PowerOptions.PollInterval"/>, at
/// most <see cref="PowerOptions.PollConcurrency"/> at a time; each read is bounded by the driver, so
/// a BMC that does not answer holds one slot for one timeout and is read less often after each failure
/// (doubling, up to <see cref="PowerOptions.PollMaxBackoff"/>), never delaying the others.
/// </summary>
internal sealed partial class PowerPoller(BmcService bmcs, PowerControl control, PowerReadings readings, IOptions<PowerOptions> options,
    TimeProvider time, ILogger<PowerPoller> logger, Metrics.ApplianceMetrics? metrics = null) : BackgroundService
{
    private readonly Dictionary<int, (DateTimeOffset Next, int Failures)> _due = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.PollInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(5, interval.TotalSeconds)), time);
        do
        {
            try
            {
                await PollDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task PollDueAsync(CancellationToken cancellationToken)
    {
        List<(int HostId, string Hostname)> hosts = await bmcs.HostsWithBmcAsync(cancellationToken).ConfigureAwait(false);
        var ids = hosts.Select(h => h.HostId).ToHashSet();
        readings.KeepOnly(ids);
        foreach (int gone in _due.Keys.Where(id => !ids.Contains(id)).ToList())
        {
            _due.Remove(gone);
        }
        DateTimeOffset now = time.GetUtcNow();
        var due = hosts.Where(h => !_due.TryGetValue(h.HostId, out var d) || d.Next <= now).ToList();
        var results = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.PollConcurrency), CancellationToken = cancellationToken },
            async (host, ct) =>
            {
                PowerReading reading;
                try
                {
                    reading = await control.StatusAsync(host.HostId, ct).ConfigureAwait(false);
                }
                catch (Inventory.InventoryException)
                {
                    return; // the BMC was removed meanwhile
                }
                if (reading.Error is not null)
                {
                    LogReadFailed(host.Hostname, reading.Error);
                }
                results[host.HostId] = reading.Error is null;
            }).ConfigureAwait(false);
        DateTimeOffset after = time.GetUtcNow();
        foreach ((int id, bool ok) in results)
        {
            int failures = ok ? 0 : (_due.TryGetValue(id, out var d) ? d.Failures : 0) + 1;
            _due[id] = (after + Backoff(options.Value.PollInterval, options.Value.PollMaxBackoff, failures), failures);
        }
        if (metrics is not null)
        {
            // Hosts with a BMC not read yet count as unknown, as the host list shows them.
            var byState = ids.Select(id => readings.Of(id)?.Text ?? "unknown").GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
            foreach (string state in new[] { "on", "off", "unknown" })
            {
                metrics.PowerReadings.WithLabels(state).Set(byState.GetValueOrDefault(state));
            }
        }
    }

    /// <summary>The wait before the next read: the interval, doubled per failure in a row, at most <paramref name="max"/>.</summary>
    internal static TimeSpan Backoff(TimeSpan interval, TimeSpan max, int failures) =>
        failures == 0 ? interval : TimeSpan.FromTicks(Math.Min(max.Ticks, interval.Ticks * (1L << Math.Min(failures, 16))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power state of {Hostname} not read: {Reason}")]
    private partial void LogReadFailed(string hostname, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Power polling failed; trying again at the next tick")]
    private partial void LogPollFailed(Exception ex);
}
