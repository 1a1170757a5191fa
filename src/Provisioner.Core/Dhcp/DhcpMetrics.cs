using Provisioner.Core.Inventory;
using Provisioner.Core.Metrics;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Dhcp;

/// <summary>The DHCP server's figures for <c>/metrics</c>, read when Prometheus scrapes: the listener's counters and the leases in memory.</summary>
internal sealed class DhcpMetrics(ApplianceMetrics metrics, DhcpServer server, LeaseBook book, DhcpSubnets subnets, TimeProvider time)
{
    private static readonly DhcpLeaseState[] HeldStates = [DhcpLeaseState.Offered, DhcpLeaseState.Bound, DhcpLeaseState.Quarantined];

    /// <summary>Starts reporting (once the server serves: an appliance without <c>--dhcp</c> exports no DHCP figures).</summary>
    public void Start() => metrics.Registry.AddBeforeCollectCallback(OnScrapeAsync);

    private async Task OnScrapeAsync(CancellationToken cancellationToken)
    {
        DhcpServerCounters counters = server.Counters;
        metrics.DhcpMessages.WithLabels("answered").IncTo(counters.AnsweredTotal);
        metrics.DhcpMessages.WithLabels("silent").IncTo(counters.SilentTotal);
        metrics.DhcpMessages.WithLabels("malformed").IncTo(counters.MalformedTotal);
        metrics.DhcpMessages.WithLabels("ignored").IncTo(counters.IgnoredTotal);
        metrics.DhcpMessages.WithLabels("rate_limited").IncTo(counters.RateLimitedTotal);
        metrics.DhcpMessages.WithLabels("failed").IncTo(counters.FailedTotal);
        foreach (DhcpMessageType type in (DhcpMessageType[])[DhcpMessageType.Offer, DhcpMessageType.Ack, DhcpMessageType.Nak])
        {
            metrics.DhcpReplies.WithLabels(type.ToString().ToLowerInvariant()).IncTo(counters.RepliesTotal(type));
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        List<DhcpLease> leases = await book.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        List<DhcpLease> held = [.. leases.Where(l => l.IsActive(now))];
        foreach (DhcpLeaseState state in HeldStates)
        {
            metrics.DhcpLeases.WithLabels(state.ToString().ToLowerInvariant()).Set(held.Count(l => l.State == state));
        }
        foreach (DhcpSubnet subnet in subnets.All)
        {
            long size = subnet.Pools.Sum(p => p.Count);
            metrics.DhcpPoolSize.WithLabels(subnet.Name).Set(size);
            metrics.DhcpPoolFree.WithLabels(subnet.Name).Set(size - held.Count(l => subnet.InPool(Ipv4Interface.SortKey(l.Address))));
        }
    }
}
