using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>
/// Fills the <see cref="HostDirectory"/> once at start, in the background, <see cref="StartDelay"/>
/// after the appliance has started listening: on one core, 100,000 hosts took about 4 s, and done
/// at once they pushed the time to a first /healthz answer from 1.5 s to 2.7-3.1 s (the first
/// requests' code was still being compiled, on the same core). On PostgreSQL it waits for the
/// change feed too: its connecting empties the directory.
/// </summary>
internal sealed partial class HostDirectoryPreloader(HostDirectory directory, InventoryDatabase database, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<HostDirectoryPreloader> logger)
    : BackgroundService
{
    /// <summary>How long to wait for the feed before loading anyway (hosts then load again as asked for, once it connects).</summary>
    private static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(10);

    /// <summary>Until then, hosts are read as they are first asked for.</summary>
    public static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartedAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(StartDelay, time, stoppingToken).ConfigureAwait(false);
            if (database.PostgresConnectionString is not null)
            {
                await FeedAsync(stoppingToken).ConfigureAwait(false);
            }
            long started = Stopwatch.GetTimestamp();
            int loaded = await directory.PreloadAsync(stoppingToken).ConfigureAwait(false);
            long milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogLoaded(loaded, milliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is lost: hosts are read as they are first asked for.
            LogFailed(ex);
        }
    }

    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using CancellationTokenRegistration onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task.ConfigureAwait(false);
    }

    private async Task FeedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await directory.FeedFirstConnected.WaitAsync(FeedWait, time, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The database is slow to answer or the feed keeps failing (it logs why): load anyway.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Host directory: {Count} hosts loaded in {Milliseconds} ms")]
    private partial void LogLoaded(int count, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host directory: preloading failed; hosts are read as they are first asked for")]
    private partial void LogFailed(Exception ex);
}
