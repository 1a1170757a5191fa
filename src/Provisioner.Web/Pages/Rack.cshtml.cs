using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Pages;

/// <summary>
/// The rack view: every host (or a group's) as a tile coloured by its state, with its build's progress,
/// refreshed live; each tile opens its host. For a floor of machines at a glance, not for editing.
/// </summary>
public sealed class RackModel(HostService hosts, HostGroupService groups) : PageModel
{
    /// <summary>Tiles on one page: a few racks' worth; beyond it the page says how many more and points to the groups.</summary>
    public const int MaxTiles = 1000;

    public IReadOnlyList<HostRecord> Hosts { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyList<string> Groups { get; private set; } = [];

    /// <summary>The group shown (canonical name), or null for all hosts.</summary>
    public string? Group { get; private set; }

    /// <summary>The shown hosts' count per state, in the states' order, only states that occur.</summary>
    public IEnumerable<(BuildState State, int Count)> Counts =>
        Enum.GetValues<BuildState>().Select(s => (s, Hosts.Count(h => h.State == s))).Where(c => c.Item2 > 0);

    public async Task OnGetAsync(string? group, CancellationToken cancellationToken)
    {
        Groups = await Pages.Hosts.NewModel.GroupNamesAsync(groups, cancellationToken);
        Group = Groups.FirstOrDefault(g => string.Equals(g, group?.Trim(), StringComparison.OrdinalIgnoreCase));
        HostPage page = await hosts.PageAsync(new HostQuery(Group: Group), HostSort.Hostname, descending: false, 0, MaxTiles, cancellationToken);
        (Hosts, Total) = (page.Hosts, page.Total);
    }
}
