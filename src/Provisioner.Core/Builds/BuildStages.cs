using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Builds;

/// <summary>The four stages a build passes through, in order, as the dashboard's chart shows them.</summary>
public enum BuildStage
{
    /// <summary>From the machine's first sign after the request (its PXE DHCP, its boot loader fetched) to its boot config served: the firmware's PXE.</summary>
    Firmware,

    /// <summary>From the boot config to the installer running (preseed fetched, or its first step or callback): the kernel and initrd on their way.</summary>
    BootFiles,

    /// <summary>From the installer running to its <c>finished</c> callback.</summary>
    Installer,

    /// <summary>From installed to the installed system's first boot from disk reported.</summary>
    FirstBoot,
}

/// <summary>One stage of one build: when it began and ended (now, for a stage still running), and whether the build failed in it.</summary>
public sealed record StageSpan(BuildStage Stage, DateTime From, DateTime To, bool Failed, bool Running)
{
    public TimeSpan Duration => To - From;
}

/// <summary>
/// A build from its request: how long it waited for the machine to show up, then its stages as far as
/// it got. <see cref="State"/> is where it ended (or stands).
/// </summary>
public sealed record BuildTiming(int HostId, string Hostname, DateTime Requested, TimeSpan? Waiting, IReadOnlyList<StageSpan> Stages, BuildState State)
{
    /// <summary>From the first stage's start to the last one's end.</summary>
    public TimeSpan Duration => Stages.Count == 0 ? TimeSpan.Zero : Stages[^1].To - Stages[0].From;
}

/// <summary>
/// Works out recent builds' stages from their timelines: each state's first step after the request
/// marks where a stage begins. Cancelled builds are left out; builds still running end at now.
/// </summary>
public sealed class BuildStages(InventoryDatabase database, TimeProvider time)
{
    /// <summary>The last <paramref name="count"/> builds requested, newest first.</summary>
    public async Task<List<BuildTiming>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        // Several per host: a host rebuilt is several builds; only each host's latest can still be running.
        var requests = await db.Events.AsNoTracking()
            .Where(e => e.State == BuildState.Pending && e.Message.StartsWith(BuildLifecycle.RequestedMessage))
            .OrderByDescending(e => e.Id).Take(count)
            .Select(e => new { e.Id, e.HostId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (requests.Count == 0)
        {
            return [];
        }
        int[] hostIds = [.. requests.Select(r => r.HostId).Distinct()];
        long first = requests.Min(r => r.Id);
        List<HostEvent> events = await db.Events.AsNoTracking().Where(e => hostIds.Contains(e.HostId) && e.Id >= first)
            .OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<int, string> names = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id))
            .ToDictionaryAsync(h => h.Id, h => h.Hostname, cancellationToken).ConfigureAwait(false);
        ILookup<int, HostEvent> byHost = events.ToLookup(e => e.HostId);
        DateTime now = time.GetUtcNow().UtcDateTime;
        var timings = new List<BuildTiming>(requests.Count);
        foreach (var request in requests)
        {
            if (!names.TryGetValue(request.HostId, out string? hostname))
            {
                continue; // the host was removed since
            }
            // From the request to the next request or cancel (which ends it, and a cancel leaves it out).
            List<HostEvent> since = [.. byHost[request.HostId].SkipWhile(e => e.Id != request.Id)];
            int end = since.FindIndex(1, IsRequestOrCancel);
            List<HostEvent> build = end < 0 ? since : since[..end];
            bool cancelled = end >= 0 && since[end].Message.StartsWith(BuildLifecycle.CancelledMessage, StringComparison.Ordinal);
            if (!cancelled && Of(build, hostname, now) is { } timing)
            {
                timings.Add(timing);
            }
        }
        return timings;
    }

    private static bool IsRequestOrCancel(HostEvent e) =>
        (e.State == BuildState.Pending && e.Message.StartsWith(BuildLifecycle.RequestedMessage, StringComparison.Ordinal))
        || e.Message.StartsWith(BuildLifecycle.CancelledMessage, StringComparison.Ordinal);

    /// <summary>One build's timing from its steps (the request first); null when the machine never showed up and the build is over.</summary>
    internal static BuildTiming? Of(IReadOnlyList<HostEvent> build, string hostname, DateTime now)
    {
        HostEvent request = build[0];
        BuildState state = build[^1].State;
        // Each stage begins at the first step in its state (or a later one, when a state was passed over).
        DateTime? firstSign = build.Count > 1 ? build[1].At : null;
        DateTime? At(BuildState entered) => build.Skip(1).FirstOrDefault(e => e.State == entered)?.At;
        DateTime?[] starts = [firstSign, At(BuildState.Booting), At(BuildState.Installing), At(BuildState.Installed), At(BuildState.Deployed)];
        for (int i = starts.Length - 2; i >= 0; i--)
        {
            starts[i] ??= starts[i + 1];
        }
        if (starts[0] is not { } began)
        {
            return state.IsBuilding() ? new BuildTiming(request.HostId, hostname, request.At, now - request.At, [], state) : null;
        }
        DateTime? failedAt = state == BuildState.Failed ? build[^1].At : null;
        // Still building, or installed and waiting for its first boot: the current stage runs until now.
        DateTime end = failedAt ?? (state.IsBuilding() || state == BuildState.Installed ? now : build[^1].At);
        var stages = new List<StageSpan>(4);
        for (int i = 0; i < 4 && starts[i] is { } from; i++)
        {
            bool current = starts[i + 1] is null;
            stages.Add(new StageSpan((BuildStage)i, from, starts[i + 1] ?? end, Failed: current && failedAt is not null, Running: current && failedAt is null));
        }
        return new BuildTiming(request.HostId, hostname, request.At, began - request.At, stages, state);
    }
}
