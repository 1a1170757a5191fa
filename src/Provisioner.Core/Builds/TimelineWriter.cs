using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Events;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>One build step: what it does to the host, and the timeline event it leaves.</summary>
/// <param name="HostId">The host it belongs to.</param>
/// <param name="At">When it happened (UTC), taken when it was reported, not when it is written.</param>
/// <param name="Source">tftp, http, callback, api, watchdog, capture.</param>
/// <param name="Apply">Changes the host and returns its new state and the event's message.</param>
/// <param name="OnlyWhileBuilding">Skip the step when the host is not building any more.</param>
public sealed record BuildStep(int HostId, DateTime At, string Source, Func<HostRecord, (BuildState State, string Message)> Apply, bool OnlyWhileBuilding)
{
    public TaskCompletionSource<HostRecord?>? Done { get; init; }

    /// <summary>The machine's address when the step came from a request of its own (for the log's <c>peer</c>).</summary>
    public string? Peer { get; init; }
}

/// <summary>
/// The single writer of build steps. Steps are applied in the order reported, on a thread of its
/// own, several to a transaction when they queue up: a request that serves a boot config or a
/// preseed only reports its step and never waits on the database (SQLite's writes are synchronous
/// and would hold up the thread pool).
/// </summary>
public sealed partial class TimelineWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<BuildStep> _steps = Channel.CreateUnbounded<BuildStep>(new UnboundedChannelOptions { SingleReader = true });
    private readonly InventoryDatabase _database;
    private readonly HostDirectory _directory;
    private readonly ILogger _logger;
    private readonly Task _loop;

    private readonly IEventBus? _bus;

    private readonly string? _appliance;

    public TimelineWriter(InventoryDatabase database, HostDirectory directory, ILogger<TimelineWriter> logger, IEventBus? bus = null, ApplianceIdentity? appliance = null)
    {
        _appliance = appliance?.Name;
        _database = database;
        _directory = directory;
        _logger = logger;
        _bus = bus;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Reports a step without waiting for it to be written.</summary>
    public void Post(BuildStep step) => _steps.Writer.TryWrite(step);

    /// <summary>Reports a step and waits until it is saved; the host as saved, or null if there is no such host or the step was skipped.</summary>
    public Task<HostRecord?> WriteAsync(BuildStep step)
    {
        var done = new TaskCompletionSource<HostRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_steps.Writer.TryWrite(step with { Done = done }))
        {
            done.SetException(new ObjectDisposedException(nameof(TimelineWriter)));
        }
        return done.Task;
    }

    /// <summary>Waits until every step reported before the call is written.</summary>
    public Task FlushAsync() => WriteAsync(new BuildStep(0, default, string.Empty, _ => default, OnlyWhileBuilding: true));

    public async ValueTask DisposeAsync()
    {
        _steps.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<BuildStep>(MaxBatch);
        while (await _steps.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _steps.Reader.TryRead(out BuildStep? step))
            {
                batch.Add(step);
            }
            try
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogWriteFailed(ex, batch.Count);
                foreach (BuildStep step in batch)
                {
                    step.Done?.TrySetException(ex);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<BuildStep> batch)
    {
        await using InventoryDbContext db = _database.CreateContext();
        int[] ids = batch.Select(s => s.HostId).Distinct().ToArray();
        Dictionary<int, HostRecord> hosts = await db.Hosts.Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id).ConfigureAwait(false);
        var results = new HostRecord?[batch.Count];
        var written = new List<(BuildStep Step, HostEvent Event, string Mac, string Hostname)>(batch.Count);
        var changed = new HashSet<HostRecord>();
        var ended = new List<BuildEnded>();
        for (int i = 0; i < batch.Count; i++)
        {
            BuildStep step = batch[i];
            if (!hosts.TryGetValue(step.HostId, out HostRecord? host) || (step.OnlyWhileBuilding && !host.State.IsBuilding()))
            {
                continue;
            }
            BuildState before = host.State;
            (BuildState state, string message) = step.Apply(host);
            if (state != before && state is BuildState.Failed or BuildState.Installed)
            {
                ended.Add(new BuildEnded(new DateTimeOffset(step.At, TimeSpan.Zero), host.Id, state, step.Source, state == BuildState.Failed ? host.StateReason : null));
            }
            host.State = state;
            host.LastProgressAt = step.At;
            host.UpdatedAt = step.At;
            if (state != BuildState.Failed)
            {
                host.StateReason = null;
            }
            var hostEvent = new HostEvent { HostId = host.Id, At = step.At, Source = step.Source, Message = BuildTracker.Truncate(message), State = state, Appliance = _appliance };
            db.Events.Add(hostEvent);
            written.Add((step, hostEvent, host.Mac, host.Hostname));
            changed.Add(host);
            results[i] = host;
        }
        foreach (HostRecord host in changed)
        {
            host.Revision++;
        }
        await db.SaveChangesAsync().ConfigureAwait(false);
        foreach (HostRecord host in changed)
        {
            _directory.Updated(host);
        }
        if (_logger.IsEnabled(LogLevel.Information))
        {
            foreach ((BuildStep step, HostEvent saved, string mac, string hostname) in written)
            {
                using IDisposable? scope = LogScope.Begin(_logger, mac, hostname, step.Peer);
                string state = saved.State.Name();
                LogStep(hostname, state, saved.Source, saved.Message);
            }
        }
        foreach (BuildEnded end in ended)
        {
            _bus?.Publish(end);
        }
        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Done?.TrySetResult(results[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Build of {Hostname}: {State} ({Source}) {Message}")]
    private partial void LogStep(string hostname, string state, string source, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save {Count} build step(s); they are lost")]
    private partial void LogWriteFailed(Exception ex, int count);
}
