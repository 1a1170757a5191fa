using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Alerts;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Pages;

/// <summary>The dashboard: hosts by state, builds in progress, latest events, the appliance's health.</summary>
public sealed class IndexModel(HostService hosts, BuildTracker tracker, ListenerStatus listeners, TransfersInFlight transfers, RecentAlerts alerts) : PageModel
{
    public IReadOnlyList<(Alert Alert, IReadOnlyList<AlertDelivery> Deliveries)> Alerts { get; private set; } = [];

    public const int RecentEvents = 15;

    public Dictionary<BuildState, int> Counts { get; private set; } = [];

    public List<HostRecord> Building { get; private set; } = [];

    public List<(HostEvent Event, string Hostname)> Events { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Listening => listeners.Listening;

    public bool Healthy => listeners.IsHealthy;

    public IReadOnlyList<TransferProgress> Transfers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await hosts.CountByStateAsync(cancellationToken);
        Building = (await hosts.ListAsync(new HostQuery(), cancellationToken)).Where(h => h.State.IsBuilding()).OrderBy(h => h.UpdatedAt).ToList();
        Events = await tracker.RecentEventsAsync(RecentEvents, cancellationToken);
        Transfers = transfers.List();
        Alerts = alerts.List();
    }
}
