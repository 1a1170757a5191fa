using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>
/// Saves installer log lines in batches on a background loop, so a chatty installer costs one
/// transaction per batch, not per line; then tells live views which hosts got lines. The queue is
/// bounded: when the database falls behind, new lines are dropped (and counted in the log), never
/// the receiver's time.
/// </summary>
public sealed partial class InstallerLogWriter(InventoryDatabase database, IEventBus bus, IOptions<InstallerLogOptions> options, TimeProvider time, ILogger<InstallerLogWriter> logger)
    : BackgroundService
{
    private const int Capacity = 50_000;
    private const int MaxBatch = 1_000;

    private readonly Channel<InstallerLogLine> _lines = Channel.CreateBounded<InstallerLogLine>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly ConcurrentDictionary<int, int> _linesThisBuild = new();
    private long _dropped;

    /// <summary>Queues a line; false when it was dropped (queue full, or the build's line limit reached).</summary>
    public bool Post(InstallerLogLine line)
    {
        int count = _linesThisBuild.AddOrUpdate(line.HostId, 1, (_, n) => n + 1);
        if (count > options.Value.MaxLinesPerBuild)
        {
            if (count == options.Value.MaxLinesPerBuild + 1)
            {
                LogLimitReached(line.HostId, options.Value.MaxLinesPerBuild);
            }
            return false;
        }
        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        return true;
    }

    /// <summary>A new build of the host starts a new log (its old lines are deleted by the caller).</summary>
    public void Restart(int hostId) => _linesThisBuild.TryRemove(hostId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InstallerLogLine>(MaxBatch);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await SaveAsync(TakeBatch(batch)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: lines already received are written, not dropped with the queue.
            while (TakeBatch(batch).Count > 0)
            {
                await SaveAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private List<InstallerLogLine> TakeBatch(List<InstallerLogLine> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _lines.Reader.TryRead(out InstallerLogLine? line))
        {
            batch.Add(line);
        }
        return batch;
    }

    private async Task SaveAsync(List<InstallerLogLine> batch)
    {
        try
        {
            await using (InventoryDbContext db = database.CreateContext())
            {
                db.InstallerLog.AddRange(batch);
                await db.SaveChangesAsync().ConfigureAwait(false);
            }
            foreach (int hostId in batch.Select(l => l.HostId).Distinct())
            {
                bus.Publish(new HostChanged(time.GetUtcNow(), hostId));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A host deleted meanwhile (foreign key) or a database hiccup: these lines are lost, the receiver goes on.
            LogSaveFailed(ex, batch.Count);
        }
        long dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installer log of host {HostId} reached {Limit} lines this build; further lines are dropped")]
    private partial void LogLimitReached(int hostId, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save {Count} installer log line(s)")]
    private partial void LogSaveFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} installer log line(s): the database is not keeping up")]
    private partial void LogDropped(long count);
}
