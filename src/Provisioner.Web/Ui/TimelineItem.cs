using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>
/// One line of a host page's timeline: a build step (with the state it left the host in) or a
/// change to the host from the audit trail (who changed what). Build requests and cancels are
/// steps that carry their actor already, so their audit entries are not shown twice.
/// </summary>
public sealed record TimelineItem(DateTime At, string Source, BuildState? State, string Message, string? Appliance, string? Actor)
{
    /// <summary>Both lists merged, newest first.</summary>
    public static List<TimelineItem> Merge(IEnumerable<HostEvent> steps, IEnumerable<AuditEntry> changes) =>
        [.. steps.Select(e => new TimelineItem(e.At, e.Source, e.State, e.Message, e.Appliance, e.Actor))
            // Build and power requests are timeline steps already, with who asked.
            .Concat(changes.Where(c => c.Action is not (AuditActions.BuildRequested or AuditActions.BuildCancelled or AuditActions.PowerRequested))
                .Select(c => new TimelineItem(c.At, c.Via, null, Describe(c), null, c.ActorDisplay)))
            .OrderByDescending(i => i.At)];

    private static string Describe(AuditEntry change) => change.Action switch
    {
        AuditActions.HostAdded => "host added" + (change.Detail is null ? "" : $": {change.Detail}"),
        AuditActions.HostChanged => "host changed: " + change.Detail,
        AuditActions.BmcSet => "BMC set: " + change.Detail,
        AuditActions.BmcRemoved => "BMC removed: " + change.Detail,
        _ => $"{change.Action}: {change.Detail}",
    };
}
