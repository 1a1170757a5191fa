using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>The host table: search, filter, sort, a page of <see cref="PageSize"/> at a time; select several and request a build for all.</summary>
public sealed class IndexModel(HostService hosts, BuildTracker tracker, IProfileCatalog templates, Core.Boot.ProfileBootFiles bootFiles) : PageModel
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
