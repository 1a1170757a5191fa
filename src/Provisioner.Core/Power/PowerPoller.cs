using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Power;

/// <summary>
/// Reads the power state of every host with a BMC every <see cref="PowerOptions.PollInterval"/>, at
/// most <see cref="PowerOptions.PollConcurrency"/> at a time. Each host is read on its own schedule:
/// a BMC that does not answer holds one slot for one timeout (the driver's bound) while the others
/// are read as they fall due, and it is read less often after each failure (doubling, up to
/// <see cref="PowerOptions.PollMaxBackoff"/>).
/// </summary>
internal sealed partial class PowerPoller(BmcService bmcs, PowerControl control, PowerReadings readings, IOptions<PowerOptions> options,
    TimeProvider time, ILogger<PowerPoller> logger, Metrics.ApplianceMetrics? metrics = null) : BackgroundService
{
    /// <summary>How often the poller looks for hosts that fall due (at most; less when the interval is shorter).</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<int, (DateTimeOffset Next, int Failures)> _due = new();
    private readonly ConcurrentDictionary<int, Task> _reading = new();
    // Never disposed: a read still ending at shutdown releases its slot (SemaphoreSlim holds no handle unless asked for one).
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.PollConcurrency));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.PollInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval < Tick ? interval : Tick, time);
        do
        {
            try
            {
                await StartDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        await Task.WhenAll(_reading.Values).ConfigureAwait(false);
    }

    /// <summary>Starts a read of every host that is due and not being read already; returns without waiting for them.</summary>
    internal async Task StartDueAsync(CancellationToken cancellationToken)
    {
        List<(int HostId, string Hostname)> hosts = await bmcs.HostsWithBmcAsync(cancellationToken).ConfigureAwait(false);
        var ids = hosts.Select(h => h.HostId).ToHashSet();
        readings.KeepOnly(ids);
        foreach (int gone in _due.Keys.Where(id => !ids.Contains(id)))
        {
            _due.TryRemove(gone, out _);
        }
        DateTimeOffset now = time.GetUtcNow();
        foreach ((int id, string hostname) in hosts)
        {
            if ((!_due.TryGetValue(id, out var due) || due.Next <= now) && !_reading.ContainsKey(id))
            {
                // Recorded before it starts: a read that ended before its task was recorded would
                // stay "under way" for ever (a CI run saw it), and the host would never be read again.
                var read = new Task<Task>(() => ReadAsync(id, hostname, cancellationToken));
                _reading[id] = read.Unwrap();
                read.Start(TaskScheduler.Default);
            }
        }
        Count(ids);
    }

    /// <summary>Waits for the reads under way (tests).</summary>
    internal Task ReadsAsync() => Task.WhenAll(_reading.Values);

    /// <summary>Whether the host's read is under way (tests): once not, its next read is scheduled.</summary>
    internal bool IsReading(int hostId) => _reading.ContainsKey(hostId);

    private async Task ReadAsync(int hostId, string hostname, CancellationToken cancellationToken)
    {
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                PowerReading reading = await control.StatusAsync(hostId, cancellationToken).ConfigureAwait(false);
                if (reading.Error is not null)
                {
                    LogReadFailed(hostname, reading.Error);
                }
                int failures = reading.Error is null ? 0 : (_due.TryGetValue(hostId, out var d) ? d.Failures : 0) + 1;
                _due[hostId] = (time.GetUtcNow() + Backoff(options.Value.PollInterval, options.Value.PollMaxBackoff, failures), failures);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (Inventory.InventoryException)
        {
            // The BMC was removed meanwhile.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogPollFailed(ex);
        }
        finally
        {
            _reading.TryRemove(hostId, out _);
        }
    }

    private void Count(IReadOnlySet<int> ids)
    {
        if (metrics is null)
        {
            return;
        }
        // Hosts with a BMC not read yet count as unknown, as the host list shows them.
        var byState = ids.Select(id => readings.Of(id)?.Text ?? "unknown").GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        foreach (string state in new[] { "on", "off", "unknown" })
        {
            metrics.PowerReadings.WithLabels(state).Set(byState.GetValueOrDefault(state));
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
