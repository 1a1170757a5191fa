using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>The host table: search, filter, sort; select several and request a build for all.</summary>
public sealed class IndexModel(HostService hosts, BuildTracker tracker, TemplateStore templates) : PageModel
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

    public List<HostRecord> Hosts { get; private set; } = [];

    public IReadOnlyList<string> Profiles => templates.List();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        BuildState? state = Enum.TryParse(State, ignoreCase: true, out BuildState parsed) && !int.TryParse(State, out _) ? parsed : null;
        List<HostRecord> found = await hosts.ListAsync(new HostQuery(Search, state, string.IsNullOrEmpty(Profile) ? null : Profile), cancellationToken);
        IOrderedEnumerable<HostRecord> sorted = Sort switch
        {
            "ip" => found.OrderBy(h => IpKey(h.Ip)),
            "mac" => found.OrderBy(h => h.Mac, StringComparer.Ordinal),
            "state" => found.OrderBy(h => h.State.Name(), StringComparer.Ordinal),
            "profile" => found.OrderBy(h => h.Profile, StringComparer.Ordinal),
            "updated" => found.OrderBy(h => h.UpdatedAt),
            _ => found.OrderBy(h => h.Hostname, StringComparer.Ordinal),
        };
        Hosts = (Desc ? sorted.Reverse() : sorted).ToList();
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
        var missing = 0;
        foreach (int id in ids.Distinct())
        {
            try
            {
                built.Add((await tracker.RequestBuildAsync(id, EventSources.Web, cancellationToken)).Hostname);
            }
            catch (InventoryException)
            {
                missing++;
            }
        }
        Message = $"Build requested for {built.Count} host(s): {string.Join(", ", built)}." + (missing > 0 ? $" {missing} host(s) no longer exist." : string.Empty);
        return Redirect(Request.Path + Request.QueryString);
    }

    /// <summary>The link that sorts by <paramref name="key"/>, flipping the direction when it already does.</summary>
    public string SortLink(string key) =>
        QueryHelpers(("q", Search), ("state", State), ("profile", Profile), ("sort", key), ("desc", Sort == key && !Desc ? "true" : null));

    public string? AriaSort(string key) => Sort == key ? (Desc ? "descending" : "ascending") : null;

    private static string QueryHelpers(params (string Key, string? Value)[] pairs) =>
        "/hosts?" + string.Join('&', pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    private static uint IpKey(string ip) =>
        IPAddress.TryParse(ip, out IPAddress? parsed) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(parsed.GetAddressBytes()) : 0;
}
