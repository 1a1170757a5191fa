using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Builds;

/// <summary>
/// Checks a few times per timeout for stalled builds (<see cref="BuildOptions.StallTimeout"/>) and for
/// installed systems that never reported their first boot (<see cref="BuildOptions.FirstBootTimeout"/>).
/// </summary>
internal sealed partial class BuildWatchdog(BuildTracker tracker, IOptions<BuildOptions> options, TimeProvider time, ILogger<BuildWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan stall = options.Value.StallTimeout;
        TimeSpan firstBoot = options.Value.FirstBootTimeout;
        TimeSpan shortest = firstBoot > TimeSpan.Zero && firstBoot < stall ? firstBoot : stall;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                int failed = await tracker.FailStalledAsync(stall, stoppingToken).ConfigureAwait(false);
                if (failed > 0)
                {
                    LogStalled(failed, stall);
                }
                int silent = firstBoot > TimeSpan.Zero ? await tracker.FailSilentFirstBootsAsync(firstBoot, stoppingToken).ConfigureAwait(false) : 0;
                if (silent > 0)
                {
                    LogNoFirstBoot(silent, firstBoot);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} installed host(s) failed: no first boot from disk reported within {Timeout}")]
    private partial void LogNoFirstBoot(int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stalled-build check failed; trying again next period")]
    private partial void LogCheckFailed(Exception ex);
}
