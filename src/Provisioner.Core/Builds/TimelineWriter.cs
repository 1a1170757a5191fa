using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Events;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Logging;

namespace Provisioner.Core.Builds;

/// <summary>One fact about a host's build, to be judged by <see cref="BuildLifecycle"/> against the host as stored.</summary>
/// <param name="HostId">The host it belongs to.</param>
/// <param name="At">When it happened (UTC), taken when it was reported, not when it is written.</param>
/// <param name="Source">tftp, http, callback, api, watchdog, capture, syslog.</param>
/// <param name="Fact">What happened.</param>
public sealed record BuildStep(int HostId, DateTime At, string Source, BuildFact Fact)
{
    public TaskCompletionSource<HostRecord?>? Done { get; init; }

    /// <summary>The machine's address when the step came from a request of its own (for the log's <c>peer</c>).</summary>
    public string? Peer { get; init; }

    /// <summary>Who asked, for an operator's step (build requested or cancelled): goes on the timeline and into the audit trail.</summary>
    public Audit.Actor? Actor { get; init; }
}

/// <summary>
/// The single writer of build steps: each fact is judged by <see cref="BuildLifecycle"/> against the
/// host as stored, and what it accepts is saved with its timeline event. Steps are applied in the order reported, on a thread of its
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

    private readonly ApplianceIdentity? _appliance;

    public TimelineWriter(InventoryDatabase database, HostDirectory directory, ILogger<TimelineWriter> logger, IEventBus? bus = null, ApplianceIdentity? appliance = null)
    {
        _appliance = appliance;
        _database = database;
        _directory = directory;
        _logger = logger;
        _bus = bus;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Reports a step without waiting for it to be written.</summary>
    public void Post(BuildStep step) => _steps.Writer.TryWrite(step);

    /// <summary>Reports a step and waits until it is saved; the host as saved, or null if there is no such host or the lifecycle refused the fact.</summary>
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
    public Task FlushAsync() => WriteAsync(new BuildStep(0, default, string.Empty, Flush.Instance));

    /// <summary>Belongs to no host: written after everything before it, and nothing else.</summary>
    private sealed record Flush : BuildFact
    {
        public static readonly Flush Instance = new();
    }

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
            if (!hosts.TryGetValue(step.HostId, out HostRecord? host)
                || BuildLifecycle.Apply(HostBuild.Of(host, _appliance), step.Fact) is not { } transition)
            {
                continue;
            }
            if (transition.Ends(host.State))
            {
                ended.Add(new BuildEnded(new DateTimeOffset(step.At, TimeSpan.Zero), host.Id, transition.State, step.Source, transition.Reason, host.State));
            }
            Apply(host, transition, step.At);
            var hostEvent = new HostEvent { HostId = host.Id, At = step.At, Source = step.Source, Message = BuildTracker.Truncate(transition.Message), State = transition.State, Appliance = _appliance?.Name };
            db.Events.Add(hostEvent);
            if (step.Actor is { } actor)
            {
                hostEvent.Actor = actor.Display;
                using (Audit.AuditContext.Begin(actor))
                {
                    (string action, string detail) = step.Fact switch
                    {
                        BuildCancelled => (Audit.AuditActions.BuildCancelled, $"profile {host.Profile}: {hostEvent.Message}"),
                        PowerStepTaken power => (Audit.AuditActions.PowerRequested, power.Message),
                        _ => (Audit.AuditActions.BuildRequested, $"profile {host.Profile}: {hostEvent.Message}"),
                    };
                    Audit.AuditTrail.Add(db, step.At, action, host.Hostname, host.Id, detail);
                }
            }
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

    private static void Apply(HostRecord host, Transition transition, DateTime at)
    {
        host.State = transition.State;
        host.StateReason = transition.Reason;
        host.AwaitsFirstBoot = transition.State == BuildState.Installed;
        if (transition.Progress is { } progress)
        {
            host.Step = progress.Step;
            host.Progress = progress.Percent;
        }
        host.BuildToken = transition.Token switch
        {
            TokenChange.Issue => BuildTokens.New(),
            TokenChange.Clear => null,
            _ => host.BuildToken,
        };
        host.LastProgressAt = at;
        host.UpdatedAt = at;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Build of {Hostname}: {State} ({Source}) {Message}")]
    private partial void LogStep(string hostname, string state, string source, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save {Count} build step(s); they are lost")]
    private partial void LogWriteFailed(Exception ex, int count);
}
