namespace Provisioner.Core.Dhcp;

/// <summary>Where an address stands (<see cref="DhcpLease.State"/>).</summary>
public enum DhcpLeaseState
{
    /// <summary>Offered to the client, held for it until <see cref="DhcpLease.ExpiresAt"/> (<see cref="DhcpServiceOptions.OfferHold"/>).</summary>
    Offered,

    /// <summary>The client holds it until <see cref="DhcpLease.ExpiresAt"/>.</summary>
    Bound,

    /// <summary>The client gave it back (RELEASE); it may have it again, or another client once no never-used address is left.</summary>
    Released,

    /// <summary>Not handed out until <see cref="DhcpLease.ExpiresAt"/>: a client declined it, or a probe found another machine on it.</summary>
    Quarantined,
}

/// <summary>
/// One address the DHCP server has handed out (table <c>dhcp_leases</c>): kept after it ends, so a
/// client gets its address again, and the next client the address used longest ago.
/// </summary>
public sealed class DhcpLease
{
    /// <summary>Dotted quad; the key: an address is one client's at a time.</summary>
    public required string Address { get; set; }

    /// <summary>The client's hardware address, <c>aa:bb:cc:dd:ee:ff</c> (for a quarantine: the client that declined it).</summary>
    public required string Mac { get; set; }

    /// <summary>Option 12 as the client sent it, or the registered host's name.</summary>
    public string? Hostname { get; set; }

    public DhcpLeaseState State { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The appliance that handed it out (several may share one PostgreSQL, each serving its own networks).</summary>
    public string? Appliance { get; set; }

    /// <summary>Why it is quarantined, in words.</summary>
    public string? Reason { get; set; }

    /// <summary>Held now: offered or bound and not yet expired, or quarantined.</summary>
    public bool IsActive(DateTime now) => State is DhcpLeaseState.Offered or DhcpLeaseState.Bound or DhcpLeaseState.Quarantined && ExpiresAt > now;

    public DhcpLease Copy() => (DhcpLease)MemberwiseClone();
}
