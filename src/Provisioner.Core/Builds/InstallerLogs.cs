using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>
/// Installer log lines from the syslog receiver: each is filed under the host that sent it (see
/// <see cref="HostResolver"/>), and the installer's menu steps move the build's progress. Lines
/// from addresses that belong to no host are dropped; that is logged once a minute per address.
/// </summary>
public sealed partial class InstallerLogs(HostResolver resolver, InstallerLogWriter writer, BuildTracker tracker, InventoryDatabase database,
    TimeProvider time, ILogger<InstallerLogs> logger)
{
    private static readonly TimeSpan UnknownReportInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, long> _unknownReported = new();

    public async ValueTask ReceiveAsync(IPAddress peer, string tag, string text, CancellationToken cancellationToken)
    {
        int? hostId = await resolver.FindAsync(peer, cancellationToken).ConfigureAwait(false);
        if (hostId is null)
        {
            ReportUnknown(peer);
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

    private void ReportUnknown(IPAddress peer)
    {
        long now = time.GetTimestamp();
        if (_unknownReported.TryGetValue(peer, out long last) && time.GetElapsedTime(last, now) < UnknownReportInterval)
        {
            return;
        }
        if (_unknownReported.Count > 10_000)
        {
            _unknownReported.Clear();
        }
        _unknownReported[peer] = now;
        LogUnknownPeer(peer);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog from {Peer} dropped: the address belongs to no registered host (no capture binding, boot request or static address)")]
    private partial void LogUnknownPeer(IPAddress peer);
}
