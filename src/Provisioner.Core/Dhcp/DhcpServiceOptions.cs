namespace Provisioner.Core.Dhcp;

/// <summary>What the appliance's DHCP server hands out (configuration section <c>Dhcp</c>; <c>serve --dhcp</c> turns it on).</summary>
public sealed class DhcpServiceOptions
{
    /// <summary>The networks served: one for each interface's own subnet, and any reached through a relay (giaddr).</summary>
    public IList<DhcpSubnetOptions> Subnets { get; } = [];

    /// <summary>
    /// Unknown clients that are not PXE clients (an installed system, a laptop): <c>serve</c> (default:
    /// a pool address, as any DHCP server) or <c>ignore</c>. Unknown PXE clients always get a pool
    /// address, so that they boot and are discovered; registered hosts always get their own.
    /// </summary>
    public string UnknownClients { get; set; } = "serve";

    /// <summary>How long an offered address is kept for the client before it may go to another. Default 1 minute.</summary>
    public TimeSpan OfferHold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an address a client declined (RFC 2131 §4.3.3: another machine has it) or a probe found in use is not handed out. Default 1 hour.</summary>
    public TimeSpan Quarantine { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long to wait for an answer to the ICMP echo sent to a pool address before it is first
    /// offered (RFC 2131 §3.1 step 2 "SHOULD probe"); 0 probes nothing. Default 500 ms.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Serve even where start-up heard another DHCP server (<c>--dhcp-force</c>). Default false: start-up stops.</summary>
    public bool Force { get; set; }

    /// <summary>How long start-up listens for other DHCP servers' OFFERs on each interface. Default 3 seconds.</summary>
    public TimeSpan OtherServerListen { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>One network the DHCP server hands addresses on (an entry of <c>Dhcp:Subnets</c>).</summary>
public sealed class DhcpSubnetOptions
{
    /// <summary>The network, <c>192.0.2.0/24</c>.</summary>
    public string? Subnet { get; set; }

    /// <summary>The pool for clients without a reservation, each <c>192.0.2.100-192.0.2.199</c>; none: reservations only.</summary>
    public IList<string> Ranges { get; } = [];

    /// <summary>Option 3 for pool clients (a registered host's own gateway wins); none when unset.</summary>
    public string? Router { get; set; }

    /// <summary>Option 6 for pool clients (a registered host's own DNS servers win).</summary>
    public IList<string> Dns { get; } = [];

    /// <summary>Option 15 for pool clients (a registered host's own domain wins).</summary>
    public string? Domain { get; set; }

    /// <summary>Lease time (option 51). Default 1 hour.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The TFTP and HTTP boot server named to PXE clients (siaddr). Default: the appliance's address on the interface the request came in on.</summary>
    public string? BootServer { get; set; }
}
