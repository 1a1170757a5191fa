using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Alerts;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Pages;

/// <summary>The dashboard: hosts by state, builds in progress, recent builds' stages as a chart, latest events, the appliance's health.</summary>
public sealed class IndexModel(HostService hosts, BuildTracker tracker, ListenerStatus listeners, TransfersInFlight transfers, RecentAlerts alerts,
    Core.Boot.ProfileBootFiles bootFiles, BuildStages stages) : PageModel
{
    /// <summary>Builds drawn in the chart, newest first.</summary>
    public const int ChartedBuilds = 20;

    public Ui.BuildChart Chart { get; private set; } = Ui.BuildChart.Of([]);

    public IReadOnlyList<(Alert Alert, IReadOnlyList<AlertDelivery> Deliveries)> Alerts { get; private set; } = [];

    public const int RecentEvents = 15;

    public Dictionary<BuildState, int> Counts { get; private set; } = [];

    /// <summary>The builds listed; a boot storm of more links to the host list filtered on each state.</summary>
    public const int ShownBuilds = 50;

    public IReadOnlyList<HostRecord> Building { get; private set; } = [];

    public int BuildingTotal { get; private set; }

    public List<(HostEvent Event, string Hostname)> Events { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Listening => listeners.Listening;

    public bool Healthy => listeners.IsHealthy;

    public IReadOnlyList<TransferProgress> Transfers { get; private set; } = [];

    /// <summary>Kernels and initrds that profiles name and the boot dir lacks: hosts built with them would stop at their boot loader.</summary>
    public IReadOnlyList<Core.Boot.MissingBootFile> MissingBootFiles { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await hosts.CountByStateAsync(cancellationToken);
        HostPage building = await hosts.PageAsync(new HostQuery(Building: true), HostSort.Updated, descending: false, 0, ShownBuilds, cancellationToken);
        (Building, BuildingTotal) = (building.Hosts, building.Total);
        Events = await tracker.RecentEventsAsync(RecentEvents, cancellationToken);
        Transfers = transfers.List();
        Alerts = alerts.List();
        MissingBootFiles = await bootFiles.MissingAsync();
        Chart = Ui.BuildChart.Of(await stages.RecentAsync(ChartedBuilds, cancellationToken));
    }
}
