using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>
/// Installer log lines from the syslog receiver: each is filed under the host that sent it (see
/// <see cref="HostResolver"/>) while the lifecycle says that host installs here
/// (<see cref="Lifecycle.Entitlement.InstallerLog"/>), and the installer's menu steps move the
/// build's progress. Lines from addresses that belong to no host, or to a host with no build here,
/// are dropped (an ended build's address may be anyone's now); that is logged once a minute per address.
/// Each build's lines are also read by an <see cref="InstallerStopReader"/>: an installer that stops at
/// an error or a question fails its build at once, in its own words, instead of at the stall timeout.
/// </summary>
public sealed partial class InstallerLogs(HostResolver resolver, InstallerLogWriter writer, BuildTracker tracker, InventoryDatabase database,
    TimeProvider time, ILogger<InstallerLogs> logger, Hosting.ApplianceIdentity? appliance = null)
{
    private static readonly TimeSpan UnknownReportInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a host's "installs here" answer is reused: an installer sends lines by the hundred a second.</summary>
    public static readonly TimeSpan BuildStateReuse = TimeSpan.FromSeconds(2);

    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<IPAddress, long> _unknownReported = new();
    private readonly ConcurrentDictionary<int, (string? Token, long At)> _installs = new();
    private readonly ConcurrentDictionary<string, InstallerStopReader> _readers = new(StringComparer.Ordinal);

    public async ValueTask ReceiveAsync(IPAddress peer, string tag, string text, CancellationToken cancellationToken)
    {
        int? hostId = await resolver.FindAsync(peer, cancellationToken).ConfigureAwait(false);
        if (hostId is null)
        {
            ReportDropped(peer, null);
            return;
        }
        if (await InstallingBuildAsync(hostId.Value, cancellationToken).ConfigureAwait(false) is not { } build)
        {
            ReportDropped(peer, hostId);
            return;
        }
        if (!InstallerStopReader.IsDebconfChatter(tag, text))
        {
            writer.Post(new InstallerLogLine { HostId = hostId.Value, At = time.GetUtcNow().UtcDateTime, Text = text });
        }
        if (InstallerSteps.SelectedItem(tag, text) is { } item)
        {
            tracker.Record(hostId.Value, EventSources.Syslog, new Lifecycle.InstallerStepSeen(item), once: "step " + item);
        }
        if (ReaderOf(build).Read(tag, text) is { } stopped)
        {
            tracker.Record(hostId.Value, EventSources.Syslog, new Lifecycle.InstallerStopped(stopped), once: "stopped " + build);
        }
    }

    /// <summary>The host's lines, oldest first: the last <paramref name="tail"/> when given, else all.</summary>
    public async Task<List<InstallerLogLine>> ReadAsync(int hostId, int? tail, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        IQueryable<InstallerLogLine> lines = db.InstallerLog.AsNoTracking().Where(l => l.HostId == hostId);
        if (tail is { } count)
        {
            List<InstallerLogLine> last = await lines.OrderByDescending(l => l.Id).Take(count).ToListAsync(cancellationToken).ConfigureAwait(false);
            last.Reverse();
            return last;
        }
        return await lines.OrderBy(l => l.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lines as a text file: arrival time (UTC, ISO 8601) and the line.</summary>
    public static string Format(IEnumerable<InstallerLogLine> lines) =>
        string.Concat(lines.Select(l => $"{DateTime.SpecifyKind(l.At, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)} {l.Text}\n"));

    /// <summary>
    /// The build token of the host's build when the lifecycle files its installer lines now, else
    /// null; read again after <see cref="BuildStateReuse"/>.
    /// </summary>
    private async ValueTask<string?> InstallingBuildAsync(int hostId, CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        if (_installs.TryGetValue(hostId, out var known) && time.GetElapsedTime(known.At, now) < BuildStateReuse)
        {
            return known.Token;
        }
        HostRecord? host;
        await using (InventoryDbContext db = database.CreateContext())
        {
            host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken).ConfigureAwait(false);
        }
        string? token = host is not null && Lifecycle.BuildLifecycle.EntitlementOf(Lifecycle.HostBuild.Of(host, appliance)).InstallerLog ? host.BuildToken ?? $"host {host.Id}" : null;
        if (_installs.Count >= MaxRemembered)
        {
            _installs.Clear();
        }
        _installs[hostId] = (token, now);
        return token;
    }

    /// <summary>The build's reader; a new build (new token) starts a new one. Lines of one build arrive from one receive loop.</summary>
    private InstallerStopReader ReaderOf(string build)
    {
        if (_readers.Count >= MaxRemembered && !_readers.ContainsKey(build))
        {
            _readers.Clear();
        }
        return _readers.GetOrAdd(build, static _ => new InstallerStopReader());
    }

    private void ReportDropped(IPAddress peer, int? hostId)
    {
        long now = time.GetTimestamp();
        if (_unknownReported.TryGetValue(peer, out long last) && time.GetElapsedTime(last, now) < UnknownReportInterval)
        {
            return;
        }
        if (_unknownReported.Count > MaxRemembered)
        {
            _unknownReported.Clear();
        }
        _unknownReported[peer] = now;
        if (hostId is { } id)
        {
            LogNotInstalling(peer, id);
        }
        else
        {
            LogUnknownPeer(peer);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog from {Peer} dropped: it is host {HostId}'s address, and that host has no build in progress here")]
    private partial void LogNotInstalling(IPAddress peer, int hostId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog from {Peer} dropped: the address belongs to no registered host (no capture binding, boot request or static address)")]
    private partial void LogUnknownPeer(IPAddress peer);
}
