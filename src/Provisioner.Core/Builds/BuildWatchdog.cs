using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Builds;

/// <summary>Checks for stalled builds a few times per <see cref="BuildOptions.StallTimeout"/>.</summary>
internal sealed partial class BuildWatchdog(BuildTracker tracker, IOptions<BuildOptions> options, TimeProvider time, ILogger<BuildWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan timeout = options.Value.StallTimeout;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                int failed = await tracker.FailStalledAsync(timeout, stoppingToken).ConfigureAwait(false);
                if (failed > 0)
                {
                    LogStalled(failed, timeout);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} build(s) failed as stalled: no progress for {Timeout}")]
    private partial void LogStalled(int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stalled-build check failed; trying again next period")]
    private partial void LogCheckFailed(Exception ex);
}
