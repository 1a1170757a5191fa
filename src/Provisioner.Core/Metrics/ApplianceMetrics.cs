using Prometheus;

namespace Provisioner.Core.Metrics;

/// <summary>
/// Every metric the appliance exports at <c>/metrics</c>, in a registry of its own (not
/// prometheus-net's static default), so two appliances in one process, as in tests, count apart.
/// Labels are bounded sets (protocol, file kind, result, state, alert event): never a MAC, host or path.
/// </summary>
public sealed class ApplianceMetrics
{
    /// <summary>Build durations run from minutes (a netboot install) to hours (a slow mirror).</summary>
    private static readonly double[] BuildBuckets = [60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 14400];

    public ApplianceMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        // Process CPU, memory, threads and GC: what an operator graphs beside our own figures.
        DotNetStats.Register(Registry);
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Transfers = factory.CreateCounter("provisioner_transfers_total", "File transfers ended, by protocol (tftp, http), file kind and result (completed, failed).", ["protocol", "kind", "result"]);
        TransferBytes = factory.CreateCounter("provisioner_transfer_bytes_total", "Bytes delivered by ended transfers (acknowledged, for TFTP), by protocol and file kind.", ["protocol", "kind"]);
        ActiveTransfers = factory.CreateGauge("provisioner_transfers_active", "File transfers under way, by protocol.", ["protocol"]);
        CapturedPackets = factory.CreateCounter("provisioner_capture_packets_total", "ARP and DHCP frames captured on the --interface interfaces.");
        CaptureParseFailures = factory.CreateCounter("provisioner_capture_parse_failures_total", "Captured frames that did not decode as ARP or DHCP (counted in provisioner_capture_packets_total too).");
        Hosts = factory.CreateGauge("provisioner_hosts", "Registered hosts by build state.", ["state"]);
        BuildDuration = factory.CreateHistogram("provisioner_build_duration_seconds", "Time from build requested to installed or failed.", new HistogramConfiguration
        {
            LabelNames = ["result"],
            Buckets = BuildBuckets,
        });
        Alerts = factory.CreateCounter("provisioner_alerts_total", "Alerts raised, by event (build.failed, build.stalled, build.installed).", ["event"]);
        AlertDeliveries = factory.CreateCounter("provisioner_alert_deliveries_total", "Alert deliveries to webhooks and the command, by result (sent, failed: given up after every try).", ["result"]);
        MirrorRequests = factory.CreateCounter("provisioner_mirror_requests_total", "Package mirror requests, by result: hit (cached, fresh), revalidated (cached, confirmed upstream), stale (cached, upstream failing), miss (fetched upstream), not_found, failed (502: upstream failing, nothing cached), refused (bad path or archive).", ["result"]);
        MirrorBytesServed = factory.CreateCounter("provisioner_mirror_served_bytes_total", "Bytes the package mirror sent to clients.");
        MirrorBytesFetched = factory.CreateCounter("provisioner_mirror_fetched_bytes_total", "Bytes the package mirror downloaded from its upstream archives.");
        MirrorUpstreamErrors = factory.CreateCounter("provisioner_mirror_upstream_errors_total", "Upstream requests and downloads of the package mirror that failed, by archive.", ["upstream"]);
        MirrorCacheBytes = factory.CreateGauge("provisioner_mirror_cache_bytes", "Bytes in the package mirror's cache.");
        PowerActions = factory.CreateCounter("provisioner_power_actions_total", "Power actions through BMCs, by action (on, off, cycle, pxe) and result (done, failed: the BMC refused or did not answer, refused: another action for the host was running).", ["action", "result"]);
        PowerReadings = factory.CreateGauge("provisioner_power_hosts", "Hosts with a BMC by their last power reading (on, off, unknown: the BMC did not answer or refused).", ["state"]);
        DhcpMessages = factory.CreateCounter("provisioner_dhcp_messages_total", "Datagrams the DHCP server read, by what became of them: answered, silent (nothing to give, or not ours to answer), malformed, ignored (not a client's request), rate_limited (over Dhcp:MaxMessagesPerClientPerSecond), failed.", ["result"]);
        DhcpReplies = factory.CreateCounter("provisioner_dhcp_replies_total", "Replies the DHCP server sent, by type (offer, ack, nak).", ["type"]);
        DhcpLeases = factory.CreateGauge("provisioner_dhcp_leases", "DHCP leases held now, by state (offered, bound, quarantined).", ["state"]);
        DhcpPoolFree = factory.CreateGauge("provisioner_dhcp_pool_free_addresses", "Pool addresses nobody holds, by subnet.", ["subnet"]);
        DhcpPoolSize = factory.CreateGauge("provisioner_dhcp_pool_addresses", "Addresses in the pool ranges, by subnet.", ["subnet"]);
        Factory = factory;
    }

    public Counter DhcpMessages { get; }

    public Counter DhcpReplies { get; }

    public Gauge DhcpLeases { get; }

    public Gauge DhcpPoolFree { get; }

    public Gauge DhcpPoolSize { get; }

    public Counter PowerActions { get; }

    public Gauge PowerReadings { get; }

    public CollectorRegistry Registry { get; }

    /// <summary>For metrics made elsewhere (the HTTP request middleware) in the same registry.</summary>
    public IMetricFactory Factory { get; }

    public Counter Transfers { get; }

    public Counter TransferBytes { get; }

    public Gauge ActiveTransfers { get; }

    public Counter CapturedPackets { get; }

    public Counter CaptureParseFailures { get; }

    public Gauge Hosts { get; }

    public Histogram BuildDuration { get; }

    public Counter Alerts { get; }

    public Counter AlertDeliveries { get; }

    public Counter MirrorRequests { get; }

    public Counter MirrorBytesServed { get; }

    public Counter MirrorBytesFetched { get; }

    public Counter MirrorUpstreamErrors { get; }

    public Gauge MirrorCacheBytes { get; }
}
