using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>
/// Moves builds through their states and writes each step to the host's timeline:
/// idle/installed → pending (build requested) → booting (boot config served) → installing
/// (preseed fetched, or an installer callback) → installed or failed.
/// </summary>
public sealed class BuildTracker(InventoryDatabase database, TimelineWriter writer, TimeProvider time, InstallerLogWriter? installerLog = null)
{
    public const int MaxMessageLength = 1024;

    // The address a building host used when it fetched its boot config: the kernel and initrd come
    // from the same address, and nothing else (before packet capture) ties them to the host.
    private readonly ConcurrentDictionary<IPAddress, int> _bootingPeers = new();
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
        return await ChangeAsync(hostId, source, host =>
        {
            host.BuildToken = BuildTokens.New();
            host.StateReason = null;
            BuildProgress.Restart(host);
            return (BuildState.Pending, $"build requested ({host.Profile})");
        }, cancellationToken).ConfigureAwait(false) ?? throw InventoryException.NotFound($"with id {hostId}");
    }

    public async Task<HostRecord> CancelBuildAsync(int hostId, string source, CancellationToken cancellationToken)
    {
        return await ChangeAsync(hostId, source, host =>
        {
            host.BuildToken = null;
            BuildProgress.Clear(host);
            return (BuildState.Idle, host.State.IsBuilding() ? "build cancelled" : "build cancelled (none was running)");
        }, cancellationToken).ConfigureAwait(false) ?? throw InventoryException.NotFound($"with id {hostId}");
    }

    /// <summary>The host's installer boot config went out to <paramref name="peer"/>; recorded in the background.</summary>
    public void ConfigServed(HostRecord host, IPAddress peer, string source, string name)
    {
        _bootingPeers[peer] = host.Id;
        // Keyed by build token: the first fetch of a new build is never a repeat.
        if (!IsRepeat(host.Id, "config " + host.BuildToken))
        {
            Report(host.Id, source, h =>
            {
                BuildProgress.Advance(h, "boot config served", BuildProgress.ConfigServed);
                return (h.State == BuildState.Pending ? BuildState.Booting : h.State, $"boot config {name} served to {peer}");
            }, peer: peer);
        }
    }

    /// <summary>A file went (or failed to go, <paramref name="completed"/> false) to the host; recorded in the background while it builds.</summary>
    public void Transfer(int hostId, string source, string path, bool completed, string message) =>
        Report(hostId, source, host =>
        {
            if (completed)
            {
                BuildProgress.FileTransferred(host, path);
            }
            return (host.State, message);
        }, onlyWhileBuilding: true);

    /// <summary>The building host that fetched its boot config from <paramref name="peer"/>, if any.</summary>
    public int? HostAt(IPAddress peer) => _bootingPeers.TryGetValue(peer, out int hostId) ? hostId : null;

    /// <summary>The building host's PXE DHCP request was seen on the wire: the first step of its boot; recorded in the background.</summary>
    public void PxeDhcpSeen(HostRecord host, string architecture, DateTimeOffset at)
    {
        if (host.State.IsBuilding() && !IsRepeat(host.Id, "dhcp " + host.BuildToken))
        {
            writer.Post(new BuildStep(host.Id, at.UtcDateTime, Inventory.EventSources.Capture, h =>
            {
                BuildProgress.Advance(h, "PXE DHCP seen", BuildProgress.DhcpSeen);
                return (h.State, $"PXE DHCP seen, arch {architecture}");
            }, OnlyWhileBuilding: true));
        }
    }

    /// <summary>The host's preseed went out to <paramref name="peer"/>; recorded in the background.</summary>
    public void PreseedFetched(HostRecord host, IPAddress peer, string source)
    {
        // The installer's own DHCP lease may differ from the PXE ROM's: its syslog lines come from this address.
        _bootingPeers[peer] = host.Id;
        if (!IsRepeat(host.Id, "preseed " + host.BuildToken))
        {
            Report(host.Id, source, h =>
            {
                BuildProgress.Advance(h, "preseed fetched", BuildProgress.PreseedFetched);
                return (BuildState.Installing, $"preseed fetched by {peer}");
            }, onlyWhileBuilding: true, peer: peer);
        }
    }

    /// <summary>The installer moved to menu item <paramref name="item"/> (from its log); recorded in the background.</summary>
    public void InstallerStep(int hostId, string item)
    {
        if (IsRepeat(hostId, "step " + item))
        {
            return;
        }
        (string name, int? percent) = InstallerSteps.Describe(item);
        Report(hostId, Inventory.EventSources.Syslog, host =>
        {
            BuildProgress.Advance(host, name, percent ?? host.Progress);
            return (host.State is BuildState.Pending or BuildState.Booting ? BuildState.Installing : host.State, $"installer step {item}");
        }, onlyWhileBuilding: true);
    }

    /// <summary>
    /// True when the same step was recorded for the host within <see cref="RepeatInterval"/>: a
    /// boot loop or a script polling its preseed must not flood the timeline (or the database).
    /// </summary>
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

    /// <summary>An installer callback; false when the token is not a build's (nothing changes then).</summary>
    public async Task<bool> CallbackAsync(string token, CallbackKind kind, string? message, CancellationToken cancellationToken)
    {
        if (!BuildTokens.IsWellFormed(token))
        {
            return false;
        }
        int? hostId;
        await using (InventoryDbContext db = database.CreateContext())
        {
            hostId = await db.Hosts.Where(h => h.BuildToken == token).Select(h => (int?)h.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        if (hostId is null)
        {
            return false;
        }
        string said = Clean(message);
        await ChangeAsync(hostId.Value, Inventory.EventSources.Callback, host =>
        {
            (BuildState state, string text) = kind switch
            {
                CallbackKind.Early => (BuildState.Installing, "installer started (early_command)"),
                CallbackKind.Late => (BuildState.Installing, "installer finishing (late_command)"),
                CallbackKind.Finished => (BuildState.Installed, "installed; boots from local disk from now on"),
                _ => (BuildState.Failed, "installer reported failure"),
            };
            if (kind == CallbackKind.Failed)
            {
                host.StateReason = said.Length > 0 ? said : "installer reported failure";
            }
            switch (kind)
            {
                case CallbackKind.Early:
                    BuildProgress.Advance(host, "installing", BuildProgress.InstallerStarted);
                    break;
                case CallbackKind.Late:
                    BuildProgress.Advance(host, "finishing", BuildProgress.InstallerFinishing);
                    break;
                case CallbackKind.Finished:
                    BuildProgress.Advance(host, "installed", BuildProgress.Done);
                    break;
            }
            // A stall verdict is overruled by a later callback (the install did go on), but a
            // retried early/late wget after "finished" must not undo the installed state.
            if (host.State is BuildState.Installed && kind is CallbackKind.Early or CallbackKind.Late)
            {
                state = BuildState.Installed;
            }
            return (state, said.Length > 0 ? $"{text}: {said}" : text);
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

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
            await ChangeAsync(id, Inventory.EventSources.Watchdog, host =>
            {
                host.StateReason = $"stalled: no progress for {Duration(timeout)} while {host.State.Name()}";
                return (BuildState.Failed, host.StateReason);
            }, cancellationToken, onlyWhileBuilding: true).ConfigureAwait(false);
        }
        return stalled.Count;
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

    /// <summary>Applies <paramref name="apply"/> to the host and appends its event; waits until it is saved.</summary>
    private Task<HostRecord?> ChangeAsync(int hostId, string source, Func<HostRecord, (BuildState State, string Message)> apply,
        CancellationToken cancellationToken, bool onlyWhileBuilding = false) =>
        writer.WriteAsync(new BuildStep(hostId, time.GetUtcNow().UtcDateTime, source, apply, onlyWhileBuilding)).WaitAsync(cancellationToken);

    /// <summary>Like <see cref="ChangeAsync"/> without waiting: for steps reported from the hot paths.</summary>
    private void Report(int hostId, string source, Func<HostRecord, (BuildState State, string Message)> apply, bool onlyWhileBuilding = false, IPAddress? peer = null) =>
        writer.Post(new BuildStep(hostId, time.GetUtcNow().UtcDateTime, source, apply, onlyWhileBuilding) { Peer = peer?.ToString() });

    /// <summary>Waits until every step reported so far is saved.</summary>
    public Task FlushAsync() => writer.FlushAsync();

    private static string Clean(string? message)
    {
        string text = new((message ?? string.Empty).Where(c => !char.IsControl(c)).ToArray());
        return Truncate(text.Trim());
    }

    private static string Duration(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} minutes")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} seconds");

    internal static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..(MaxMessageLength - 1)] + "…";
}
