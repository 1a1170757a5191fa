using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>
/// Reports facts about builds to <see cref="TimelineWriter"/>, where <see cref="BuildLifecycle"/>
/// judges each against the host as stored: the operator's (request, cancel), the installer's
/// callbacks, the watchdog's, and those the protocol adapters saw (through <see cref="BuildFactRecorder"/>).
/// </summary>
public sealed class BuildTracker(InventoryDatabase database, TimelineWriter writer, TimeProvider time, InstallerLogWriter? installerLog = null)
{
    public const int MaxMessageLength = 1024;

    private readonly ConcurrentDictionary<(int HostId, string Step), DateTime> _recorded = new();

    /// <summary>Repeats of the same step for a host within this time are not recorded again.</summary>
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromMinutes(1);

    private const int MaxRecorded = 100_000;

    /// <summary>Starts a new build: new token, progress from zero, and a new installer log (the last build's is deleted).</summary>
    public async Task<HostRecord> RequestBuildAsync(int hostId, string source, CancellationToken cancellationToken)
    {
        await using (InventoryDbContext db = database.CreateContext())
        {
            await db.InstallerLog.Where(l => l.HostId == hostId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        installerLog?.Restart(hostId);
        return await WriteAsync(hostId, source, new BuildRequested(), cancellationToken, Audit.AuditContext.Current).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id {hostId}");
    }

    public async Task<HostRecord> CancelBuildAsync(int hostId, string source, CancellationToken cancellationToken) =>
        await WriteAsync(hostId, source, new BuildCancelled(), cancellationToken, Audit.AuditContext.Current).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id {hostId}");

    /// <summary>
    /// Reports what a protocol adapter saw, without waiting for it to be written. With
    /// <paramref name="once"/>, the same key for the same host within <see cref="RepeatInterval"/>
    /// is not reported again: a boot loop or a script polling its preseed must not flood the timeline.
    /// </summary>
    public void Record(int hostId, string source, BuildFact fact, string? once = null, IPAddress? peer = null, DateTimeOffset? at = null)
    {
        if (once is not null && IsRepeat(hostId, once))
        {
            return;
        }
        writer.Post(new BuildStep(hostId, (at ?? time.GetUtcNow()).UtcDateTime, source, fact) { Peer = peer?.ToString() });
    }

    private bool IsRepeat(int hostId, string step)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        var key = (hostId, step);
        if (_recorded.TryGetValue(key, out DateTime last) && now - last < RepeatInterval)
        {
            return true;
        }
        _recorded[key] = now;
        if (_recorded.Count > MaxRecorded)
        {
            foreach (KeyValuePair<(int HostId, string Step), DateTime> old in _recorded.Where(r => now - r.Value >= RepeatInterval))
            {
                _recorded.TryRemove(old);
            }
        }
        return false;
    }

    /// <summary>
    /// An installer callback; false when the token is no build's, or its build has ended (see
    /// <see cref="BuildLifecycle"/>): nothing changes then, and the caller answers 404.
    /// </summary>
    public async Task<bool> CallbackAsync(string token, CallbackKind kind, string? message, CancellationToken cancellationToken) =>
        await HostWithTokenAsync(token, cancellationToken).ConfigureAwait(false) is { } hostId
        && await CallbackAsync(hostId, kind, message, cancellationToken).ConfigureAwait(false);

    /// <summary>The host whose build token this is, if any: asked before anything else of the request is read.</summary>
    public async Task<int?> HostWithTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!BuildTokens.IsWellFormed(token))
        {
            return null;
        }
        await using InventoryDbContext db = database.CreateContext();
        return await db.Hosts.Where(h => h.BuildToken == token).Select(h => (int?)h.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A callback for the host <see cref="HostWithTokenAsync"/> found; false when its build no longer takes it.</summary>
    public async Task<bool> CallbackAsync(int hostId, CallbackKind kind, string? message, CancellationToken cancellationToken) =>
        // Judged by the writer against the host as stored when it is written: a build that ends
        // meanwhile refuses the callback there.
        await WriteAsync(hostId, Inventory.EventSources.Callback, new CallbackReceived(kind, Clean(message)), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>A deploy agent's step for the host <see cref="HostWithTokenAsync"/> found; false when its build no longer takes it (cancelled: the agent stops).</summary>
    public async Task<bool> DeployStepAsync(int hostId, string? step, int percent, CancellationToken cancellationToken) =>
        await WriteAsync(hostId, Inventory.EventSources.Callback, new DeployStepReported(Clean(step), Math.Clamp(percent, 0, BuildProgress.Done - 1)), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// A power step on the host's timeline (<see cref="Power.PowerControl"/>), written before this returns;
    /// with <paramref name="requested"/>, the operator's own step: who asked is recorded and audited.
    /// </summary>
    public async Task NotePowerAsync(int hostId, string message, bool requested, CancellationToken cancellationToken) =>
        await WriteAsync(hostId, Inventory.EventSources.Power, new PowerStepTaken(Clean(message)), cancellationToken, requested ? Audit.AuditContext.Current : null).ConfigureAwait(false);

    /// <summary>Fails builds that showed up and then went quiet for longer than <paramref name="timeout"/>.</summary>
    public async Task<int> FailStalledAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime cutoff = time.GetUtcNow().UtcDateTime - timeout;
        List<int> stalled;
        await using (InventoryDbContext db = database.CreateContext())
        {
            stalled = await db.Hosts
                .Where(h => (h.State == BuildState.Booting || h.State == BuildState.Installing) && h.LastProgressAt < cutoff)
                .Select(h => h.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (int id in stalled)
        {
            await WriteAsync(id, Inventory.EventSources.Watchdog, new BuildStalled(timeout), cancellationToken).ConfigureAwait(false);
        }
        return stalled.Count;
    }

    /// <summary>Fails installs whose system has not reported its first boot from disk within <paramref name="timeout"/>.</summary>
    public async Task<int> FailSilentFirstBootsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime cutoff = time.GetUtcNow().UtcDateTime - timeout;
        List<int> silent;
        await using (InventoryDbContext db = database.CreateContext())
        {
            silent = await db.Hosts
                .Where(h => h.State == BuildState.Installed && h.AwaitsFirstBoot && h.LastProgressAt < cutoff)
                .Select(h => h.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (int id in silent)
        {
            await WriteAsync(id, Inventory.EventSources.Watchdog, new FirstBootMissed(timeout), cancellationToken).ConfigureAwait(false);
        }
        return silent.Count;
    }

    public async Task<List<HostEvent>> TimelineAsync(int hostId, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        if (!await db.Hosts.AnyAsync(h => h.Id == hostId, cancellationToken).ConfigureAwait(false))
        {
            throw InventoryException.NotFound($"with id {hostId}");
        }
        return await db.Events.AsNoTracking().Where(e => e.HostId == hostId).OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest timeline events of all hosts, newest first, with each host's name.</summary>
    public async Task<List<(HostEvent Event, string Hostname)>> RecentEventsAsync(int count, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        var recent = await db.Events.AsNoTracking().OrderByDescending(e => e.Id).Take(count)
            .Join(db.Hosts, e => e.HostId, h => h.Id, (e, h) => new { Event = e, h.Hostname })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return recent.OrderByDescending(r => r.Event.Id).Select(r => (r.Event, r.Hostname)).ToList();
    }

    /// <summary>Reports a fact and waits until it is written: the host as saved, or null when there is no such host or the lifecycle refused the fact.</summary>
    /// <param name="actor">For the operator's own steps: who asked (the writer runs on its own thread, outside the request's <see cref="Audit.AuditContext"/>).</param>
    private Task<HostRecord?> WriteAsync(int hostId, string source, BuildFact fact, CancellationToken cancellationToken, Audit.Actor? actor = null) =>
        writer.WriteAsync(new BuildStep(hostId, time.GetUtcNow().UtcDateTime, source, fact) { Actor = actor }).WaitAsync(cancellationToken);

    /// <summary>Waits until every step reported so far is saved.</summary>
    public Task FlushAsync() => writer.FlushAsync();

    private static string Clean(string? message)
    {
        string text = new((message ?? string.Empty).Where(c => !char.IsControl(c)).ToArray());
        return Truncate(text.Trim());
    }

    internal static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..(MaxMessageLength - 1)] + "…";
}
