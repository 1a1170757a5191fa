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
/// </summary>
public sealed partial class InstallerLogs(HostResolver resolver, InstallerLogWriter writer, BuildTracker tracker, InventoryDatabase database,
    TimeProvider time, ILogger<InstallerLogs> logger, Hosting.ApplianceIdentity? appliance = null)
{
    private static readonly TimeSpan UnknownReportInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a host's "installs here" answer is reused: an installer sends lines by the hundred a second.</summary>
    public static readonly TimeSpan BuildStateReuse = TimeSpan.FromSeconds(2);

    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<IPAddress, long> _unknownReported = new();
    private readonly ConcurrentDictionary<int, (bool Installs, long At)> _installs = new();

    public async ValueTask ReceiveAsync(IPAddress peer, string tag, string text, CancellationToken cancellationToken)
    {
        int? hostId = await resolver.FindAsync(peer, cancellationToken).ConfigureAwait(false);
        if (hostId is null)
        {
            ReportDropped(peer, null);
            return;
        }
        if (!await InstallsHereAsync(hostId.Value, cancellationToken).ConfigureAwait(false))
        {
            ReportDropped(peer, hostId);
            return;
        }
        writer.Post(new InstallerLogLine { HostId = hostId.Value, At = time.GetUtcNow().UtcDateTime, Text = text });
        if (InstallerSteps.SelectedItem(tag, text) is { } item)
        {
            tracker.Record(hostId.Value, EventSources.Syslog, new Lifecycle.InstallerStepSeen(item), once: "step " + item);
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

    /// <summary>Whether the lifecycle files this host's installer lines now; read again after <see cref="BuildStateReuse"/>.</summary>
    private async ValueTask<bool> InstallsHereAsync(int hostId, CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        if (_installs.TryGetValue(hostId, out var known) && time.GetElapsedTime(known.At, now) < BuildStateReuse)
        {
            return known.Installs;
        }
        HostRecord? host;
        await using (InventoryDbContext db = database.CreateContext())
        {
            host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken).ConfigureAwait(false);
        }
        bool installs = host is not null && Lifecycle.BuildLifecycle.EntitlementOf(Lifecycle.HostBuild.Of(host, appliance)).InstallerLog;
        if (_installs.Count >= MaxRemembered)
        {
            _installs.Clear();
        }
        _installs[hostId] = (installs, now);
        return installs;
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
