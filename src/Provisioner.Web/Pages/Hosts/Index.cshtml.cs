using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>The host table: search, filter, sort, a page of <see cref="PageSize"/> at a time, power state; select several and request a build, or a power action through their BMCs, for all.</summary>
public sealed class IndexModel(HostService hosts, BuildTracker tracker, IProfileCatalog templates, Core.Boot.ProfileBootFiles bootFiles,
    Core.Power.BmcService bmcs, Core.Power.PowerReadings readings, Core.Power.PowerJobs jobs) : PageModel
{
    public static readonly string[] SortKeys = ["hostname", "ip", "mac", "state", "profile", "updated"];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Profile { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "hostname";

    [BindProperty(SupportsGet = true)]
    public bool Desc { get; set; }

    /// <summary>The 1-based page (<c>?p=</c>: Razor Pages keeps <c>page</c> for itself); one past the last shows the last.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public const int PageSize = 100;

    public IReadOnlyList<HostRecord> Hosts { get; private set; } = [];

    /// <summary>How many hosts match the filter, on every page.</summary>
    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The position of the page's first host, from 1.</summary>
    public int First => (PageNumber - 1) * PageSize + 1;

    public IReadOnlyList<string> Profiles => templates.List();

    [TempData]
    public string? Message { get; set; }

    /// <summary>The builds just requested whose profiles lack boot files.</summary>
    [TempData]
    public string? Warning { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        BuildState? state = Enum.TryParse(State, ignoreCase: true, out BuildState parsed) && !int.TryParse(State, out _) ? parsed : null;
        HostQuery query = new(Search, state, string.IsNullOrEmpty(Profile) ? null : Profile);
        HostSort sort = Enum.TryParse(Sort, ignoreCase: true, out HostSort key) && !int.TryParse(Sort, out _) ? key : HostSort.Hostname;
        // A typed ?p= of two billion must not overflow the offset.
        PageNumber = Math.Clamp(PageNumber, 1, int.MaxValue / PageSize);
        HostPage page = await hosts.PageAsync(query, sort, Desc, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        if (page.Hosts.Count == 0 && page.Total > 0)
        {
            // A page past the end (hosts were removed, or a typed URL): the last one instead of an empty table.
            Total = page.Total;
            PageNumber = Pages;
            page = await hosts.PageAsync(query, sort, Desc, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        }
        (Hosts, Total) = (page.Hosts, page.Total);
        Dictionary<int, Core.Power.BmcType> withBmc = await bmcs.TypesAsync([.. Hosts.Select(h => h.Id)], cancellationToken);
        Power = withBmc.ToDictionary(b => b.Key, b => readings.Of(b.Key));
    }

    /// <summary>The hosts of this page that have a BMC, and their last power reading (null: not read yet).</summary>
    public IReadOnlyDictionary<int, Core.Power.PowerReading?> Power { get; private set; } = new Dictionary<int, Core.Power.PowerReading?>();

    /// <summary>
    /// A power action for every selected host (<c>on</c>, <c>off</c>, <c>cycle</c>, <c>pxe</c>; <c>build</c>: a build,
    /// then <c>pxe</c>), started in the background; a host without a BMC is named and skipped.
    /// </summary>
    public async Task<IActionResult> OnPostPowerAsync(int[] ids, string? action, CancellationToken cancellationToken)
    {
        bool build = action == "build";
        if (ids.Length == 0 || !Core.Power.PowerActions.TryParse(build ? "pxe" : action, out Core.Power.PowerAction power))
        {
            Message = ids.Length == 0 ? "Select at least one host." : $"'{action}' is not a power action.";
            return Redirect(Request.Path + Request.QueryString);
        }
        int[] selected = [.. ids.Distinct()];
        Dictionary<int, Core.Power.BmcType> withBmc = await bmcs.TypesAsync(selected, cancellationToken);
        var started = new List<string>();
        var without = new List<string>();
        foreach (int id in selected)
        {
            if (await hosts.FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is not { } host)
            {
                continue;
            }
            if (!withBmc.ContainsKey(id))
            {
                without.Add(host.Hostname);
                continue;
            }
            if (build)
            {
                await tracker.RequestBuildAsync(id, EventSources.Web, cancellationToken);
            }
            jobs.Start(id, power);
            started.Add(host.Hostname);
        }
        Message = $"{(build ? "Build and power-cycle" : $"Power {Core.Power.PowerActions.Name(power)}")} asked of {started.Count} host(s)' BMCs: {string.Join(", ", started)}; each host's timeline shows how it goes.";
        Warning = without.Count > 0 ? $"No BMC, so nothing asked: {string.Join(", ", without)}." : null;
        return Redirect(Request.Path + Request.QueryString);
    }

    /// <summary>Requests a build of every selected host; one that is gone is reported, the others still built.</summary>
    public async Task<IActionResult> OnPostBuildAsync(int[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            Message = "Select at least one host.";
            return Redirect(Request.Path + Request.QueryString);
        }
        var built = new List<string>();
        var profiles = new SortedSet<string>(StringComparer.Ordinal);
        var missing = 0;
        foreach (int id in ids.Distinct())
        {
            try
            {
                HostRecord host = await tracker.RequestBuildAsync(id, EventSources.Web, cancellationToken);
                built.Add(host.Hostname);
                profiles.Add(host.Profile);
            }
            catch (InventoryException)
            {
                missing++;
            }
        }
        Message = $"Build requested for {built.Count} host(s): {string.Join(", ", built)}." + (missing > 0 ? $" {missing} host(s) no longer exist." : string.Empty);
        var warnings = new List<string>();
        foreach (string profile in profiles)
        {
            warnings.AddRange(await bootFiles.BuildWarningsAsync(profile));
        }
        Warning = warnings.Count > 0 ? string.Join(" ", warnings.Select(w => w + ".")) : null;
        return Redirect(Request.Path + Request.QueryString);
    }

    /// <summary>The link that sorts by <paramref name="key"/>, flipping the direction when it already does.</summary>
    public string SortLink(string key) =>
        QueryHelpers(("q", Search), ("state", State), ("profile", Profile), ("sort", key), ("desc", Sort == key && !Desc ? "true" : null));

    /// <summary>The link to page <paramref name="number"/> with the same filter and order.</summary>
    public string PageLink(int number) =>
        QueryHelpers(("q", Search), ("state", State), ("profile", Profile), ("sort", Sort), ("desc", Desc ? "true" : null),
            ("p", number.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public string? AriaSort(string key) => Sort == key ? (Desc ? "descending" : "ascending") : null;

    private static string QueryHelpers(params (string Key, string? Value)[] pairs) =>
        "/hosts?" + string.Join('&', pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
}
