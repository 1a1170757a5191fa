using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// On PostgreSQL, hears every change to the hosts table as it commits, from any appliance or CLI
/// sharing the database: a trigger (migration <c>Appliances</c>) sends the host's id with
/// <c>pg_notify</c>, and this service LISTENs on one connection of its own. Each change drops that
/// host from the <see cref="HostDirectory"/> and reaches live views, so another appliance's build
/// steps show here as they happen, with no polling. A lost connection is retried; meanwhile the
/// directory falls back to its once-a-second check. Does nothing on SQLite.
/// </summary>
internal sealed partial class HostChangeFeed(InventoryDatabase database, HostDirectory directory, TimeProvider time, ILogger<HostChangeFeed> logger)
    : BackgroundService
{
    /// <summary>The notification channel the trigger sends on.</summary>
    public const string ChannelName = "provisioner_host_changed";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.PostgresConnectionString is not { } connectionString)
        {
            return;
        }
        // Notifications arrive on Npgsql's reading thread; they are handled in order on another.
        Channel<int> changed = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
        Task handling = HandleAsync(changed.Reader, stoppingToken);
        // A dead server or a cut cable is noticed by a keepalive query, not only at the next notification.
        string listening = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false }.ToString();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(listening, changed.Writer, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                directory.FeedLost();
                LogLost(ex.GetBaseException().Message, RetryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        directory.FeedLost();
        changed.Writer.TryComplete();
        await handling.ConfigureAwait(false);
    }

    private async Task ListenAsync(string connectionString, ChannelWriter<int> changed, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        connection.Notification += (_, e) =>
        {
            if (int.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                changed.TryWrite(id);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }
        // Only now: a change committed before LISTEN took effect was not heard, and Connected empties the cache.
        directory.FeedConnected();
        LogListening(database.Description);
        while (true)
        {
            await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ChannelReader<int> changed, CancellationToken stoppingToken)
    {
        var batch = new HashSet<int>();
        try
        {
            while (await changed.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // A burst of steps for one host (a boot storm's) is one look-up.
                batch.Clear();
                while (changed.TryRead(out int id))
                {
                    batch.Add(id);
                }
                foreach (int id in batch)
                {
                    await RefreshAsync(id, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(int id, CancellationToken stoppingToken)
    {
        try
        {
            await directory.ChangedElsewhereAsync(id, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The directory's own check still runs while the feed is down; here one host is stale until its next change.
            LogRefreshFailed(ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing host changes from every appliance on {Database} (LISTEN " + ChannelName + ")")]
    private partial void LogListening(string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the host change feed ({Reason}); checking the hosts table every second until it is back, retrying in {Seconds} s")]
    private partial void LogLost(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload host {HostId} after a change elsewhere")]
    private partial void LogRefreshFailed(Exception ex, int hostId);
}
