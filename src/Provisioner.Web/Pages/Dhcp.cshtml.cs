using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Dhcp;

namespace Provisioner.Web.Pages;

/// <summary>The DHCP server's leases and pools: held now by default, every lease on record with <c>?all=1</c>.</summary>
public sealed class DhcpModel(DhcpLeaseList leases) : PageModel
{
    public IReadOnlyList<DhcpLeaseRow> Leases { get; private set; } = [];

    public IReadOnlyList<DhcpPoolUse> Pools { get; private set; } = [];

    public bool Serving => leases.Serving;

    /// <summary>Every lease on record, not only those held now.</summary>
    public bool All { get; private set; }

    public async Task OnGetAsync(int? all, CancellationToken cancellationToken)
    {
        All = all == 1;
        (Leases, Pools) = await leases.OverviewAsync(activeOnly: !All, cancellationToken);
    }
}
