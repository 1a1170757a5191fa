using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// The DHCP server's decisions (RFC 2131 §4.3): which address a client gets, and what else. A
/// registered host gets its inventory address (a reservation by MAC) with its own gateway, DNS and
/// name; other clients get a pool address of the subnet the request came from (the interface's,
/// or the relay's giaddr). PXE, UEFI HTTP Boot and iPXE clients get boot information from
/// <see cref="PxeBootDecision"/>, as from ProxyDHCP. Every change of a lease is in the database
/// before the reply is sent.
/// </summary>
internal sealed partial class DhcpAnswers(LeaseBook book, DhcpSubnets subnets, HostDirectory hosts, ReservedAddresses reservations,
    PxeBootDecision boot, AddressProbe probe, IOptions<DhcpServiceOptions> options, TimeProvider time, ILogger<DhcpAnswers> logger) : IDhcpHandler
{
    /// <summary>Addresses tried for one DISCOVER when probes find them taken (or another appliance took them).</summary>
    private const int MaxProbedCandidates = 4;

    /// <summary>The client as this server sees it: who, where, and (registered hosts) its address.</summary>
    private sealed record Client(MacAddress Mac, DhcpSubnet Subnet, HostRecord? Host, IPAddress? Reserved)
    {
        public string Key => Mac.ToString();

        /// <summary>For the log: <c>host web-01</c> or <c>unregistered</c>.</summary>
        public string Who => Host is null ? "unregistered" : $"host {Host.Hostname}";
    }

    public async ValueTask<DhcpReply?> AnswerAsync(DhcpMessage request, DhcpListenerInterface arrivedOn, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryRead(request.ClientHardwareAddress, out MacAddress mac))
        {
            return null;
        }
        bool relayed = !request.RelayAddress.Equals(IPAddress.Any);
        DhcpSubnet? subnet = subnets.For(relayed ? request.RelayAddress : arrivedOn.Address);
        if (subnet is null)
        {
            LogNoSubnet(mac, relayed ? request.RelayAddress : arrivedOn.Address);
            return null;
        }
        HostRecord? host = await hosts.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false);
        IPAddress? reserved = null;
        if (host is not null)
        {
            if (!Ipv4Interface.TryParseAddress(host.Ip, out IPAddress address) || !subnet.Contains(address))
            {
                LogHostElsewhere(mac.ToString(), host.Hostname, host.Ip, subnet.Name);
                return null;
            }
            reserved = address;
        }
        else if (!request.IsPxe && !request.IsHttpBoot && request.UserClass != "iPXE"
            && options.Value.UnknownClients.Equals("ignore", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var client = new Client(mac, subnet, host, reserved);
        IPAddress server = arrivedOn.Address;
        return request.MessageType switch
        {
            DhcpMessageType.Discover => await DiscoverAsync(request, client, server, cancellationToken).ConfigureAwait(false),
            DhcpMessageType.Request => await RequestAsync(request, client, server, cancellationToken).ConfigureAwait(false),
            DhcpMessageType.Decline => await DeclineAsync(request, client, cancellationToken).ConfigureAwait(false),
            DhcpMessageType.Release => await ReleaseAsync(request, client, cancellationToken).ConfigureAwait(false),
            DhcpMessageType.Inform => Reply(request, client, server, DhcpMessageType.Ack, IPAddress.Any),
            _ => null,
        };
    }

    private async Task<DhcpReply?> DiscoverAsync(DhcpMessage request, Client client, IPAddress server, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxProbedCandidates; attempt++)
        {
            (IPAddress? offered, bool unprobed, bool takenElsewhere) = await OfferAsync(request, client, cancellationToken).ConfigureAwait(false);
            if (takenElsewhere)
            {
                continue; // the book has the other appliance's row now: the next choice knows it
            }
            if (offered is null)
            {
                return null;
            }
            if (!unprobed || options.Value.ProbeTimeout <= TimeSpan.Zero
                || !await probe.InUseAsync(offered, options.Value.ProbeTimeout, cancellationToken).ConfigureAwait(false))
            {
                LogOffered(client.Key, offered, client.Who);
                return Reply(request, client, server, DhcpMessageType.Offer, offered);
            }
            LogProbeAnswered(offered, client.Key);
            await QuarantineAsync(offered, client.Key, $"another machine answered a ping on it before it was offered to {client.Key}", cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>
    /// The address to offer, held for the client in the database; <c>Unprobed</c>: it was not the
    /// client's a moment ago; <c>TakenElsewhere</c>: another appliance wrote that address first.
    /// </summary>
    private async Task<(IPAddress? Address, bool Unprobed, bool TakenElsewhere)> OfferAsync(DhcpMessage request, Client client, CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        IPAddress address;
        bool unprobed = false;
        Task<bool> written;
        await book.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (client.Reserved is { } reserved)
            {
                DhcpLease? held = book.At(Ipv4Interface.ToUInt32(reserved));
                if (held is not null && held.IsActive(now) && (held.Mac != client.Key || held.State == DhcpLeaseState.Quarantined))
                {
                    LogReservedHeld(client.Key, client.Host!.Hostname, reserved, held.Mac, held.State, held.ExpiresAt);
                    return (null, false, false);
                }
                address = reserved;
            }
            else
            {
                (uint candidate, bool wasMine) = await PoolCandidateAsync(request, client, now, cancellationToken).ConfigureAwait(false);
                if (candidate == 0)
                {
                    LogPoolExhausted(client.Key, client.Subnet.Name);
                    return (null, false, false);
                }
                address = Ipv4Interface.FromUInt32(candidate);
                unprobed = !wasMine;
            }
            written = Hold(address, client, request.Hostname, book.At(Ipv4Interface.ToUInt32(address)), now);
        }
        finally
        {
            book.Gate.Release();
        }
        return await written.ConfigureAwait(false) ? (address, unprobed, false) : (null, false, true);
    }

    /// <summary>
    /// A pool address for the client: the one it had (any state but quarantined), the one it asks
    /// for (option 50) if free, the lowest never used, else the one idle longest. 0 when none is free.
    /// </summary>
    private async Task<(uint Address, bool WasMine)> PoolCandidateAsync(DhcpMessage request, Client client, DateTime now, CancellationToken cancellationToken)
    {
        DhcpSubnet subnet = client.Subnet;
        foreach (DhcpLease mine in book.OfMac(client.Key).Where(l => l.State != DhcpLeaseState.Quarantined).OrderByDescending(l => l.UpdatedAt))
        {
            uint address = Ipv4Interface.SortKey(mine.Address);
            if (subnet.InPool(address) && !await ReservedForOtherAsync(address, client, cancellationToken).ConfigureAwait(false))
            {
                return (address, mine.IsActive(now));
            }
        }
        if (request.RequestedAddress is { } asked && Ipv4Interface.ToUInt32(asked) is var wanted && subnet.InPool(wanted)
            && await FreeAsync(wanted, client, now, cancellationToken).ConfigureAwait(false))
        {
            return (wanted, false);
        }
        foreach (AddressRange pool in subnet.Pools)
        {
            for (uint address = pool.First; address <= pool.Last && address != 0; address++)
            {
                if (book.At(address) is null && await FreeAsync(address, client, now, cancellationToken).ConfigureAwait(false))
                {
                    return (address, false);
                }
            }
        }
        DhcpLease? idle = book.OldestIdle(subnet.InPool, now);
        return idle is not null && await FreeAsync(Ipv4Interface.SortKey(idle.Address), client, now, cancellationToken).ConfigureAwait(false)
            ? (Ipv4Interface.SortKey(idle.Address), false)
            : (0, false);
    }

    /// <summary>Not held by anyone, not a registered host's, not this server's own.</summary>
    private async Task<bool> FreeAsync(uint address, Client client, DateTime now, CancellationToken cancellationToken) =>
        book.At(address)?.IsActive(now) != true && !await ReservedForOtherAsync(address, client, cancellationToken).ConfigureAwait(false);

    private async Task<bool> ReservedForOtherAsync(uint address, Client client, CancellationToken cancellationToken) =>
        await reservations.HolderAsync(address, cancellationToken).ConfigureAwait(false) is { } mac && mac != client.Key;

    /// <summary>Records the offer; an address the client holds bound stays bound (a client that reboots asks again), and then nothing is written.</summary>
    private Task<bool> Hold(IPAddress address, Client client, string? hostname, DhcpLease? held, DateTime now)
    {
        if (held is { State: DhcpLeaseState.Bound } && held.Mac == client.Key && held.IsActive(now))
        {
            return Task.FromResult(true);
        }
        return book.Record(new DhcpLease
        {
            Address = address.ToString(),
            Mac = client.Key,
            Hostname = client.Host?.Hostname ?? hostname,
            State = DhcpLeaseState.Offered,
            ExpiresAt = now + options.Value.OfferHold,
            UpdatedAt = now,
        });
    }

    /// <summary>
    /// RFC 2131 §4.3.2: SELECTING (a server identifier), INIT-REBOOT (a requested address, no ciaddr),
    /// RENEWING and REBINDING (ciaddr). An address that is not the client's here gets a NAK; a
    /// client this server has no record of gets silence, as the RFC asks.
    /// </summary>
    private async Task<DhcpReply?> RequestAsync(DhcpMessage request, Client client, IPAddress server, CancellationToken cancellationToken)
    {
        bool hasCiaddr = !request.ClientAddress.Equals(IPAddress.Any);
        if (request.ServerIdentifier is { } chosen)
        {
            if (!chosen.Equals(server))
            {
                await ForgetOfferAsync(client, cancellationToken).ConfigureAwait(false);
                return null;
            }
            IPAddress? wanted = request.RequestedAddress ?? (hasCiaddr ? request.ClientAddress : null);
            return wanted is null ? null : await BindOrNakAsync(request, client, server, wanted, cancellationToken).ConfigureAwait(false);
        }
        IPAddress address = request.RequestedAddress ?? request.ClientAddress;
        if (address.Equals(IPAddress.Any))
        {
            return null;
        }
        if (!client.Subnet.Contains(address))
        {
            return Nak(request, client, server, address, $"{address} is not on {client.Subnet.Name}");
        }
        bool known = client.Reserved is not null || book.OfMac(client.Key).Any(l => client.Subnet.Contains(IPAddress.Parse(l.Address)));
        return known ? await BindOrNakAsync(request, client, server, address, cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<DhcpReply> BindOrNakAsync(DhcpMessage request, Client client, IPAddress server, IPAddress address, CancellationToken cancellationToken)
    {
        (string? refusal, bool renewed) = await BindAsync(client, address, request.Hostname, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return Nak(request, client, server, address, refusal);
        }
        if (renewed)
        {
            LogRenewed(client.Key, address, client.Who, client.Subnet.LeaseTime);
        }
        else
        {
            LogBound(client.Key, address, client.Who, client.Subnet.LeaseTime);
        }
        return Reply(request, client, server, DhcpMessageType.Ack, address);
    }

    /// <summary>Binds <paramref name="address"/> to the client for a lease time; the refusal is null when done, else why not; <c>Renewed</c>: the client held it bound already.</summary>
    private async Task<(string? Refusal, bool Renewed)> BindAsync(Client client, IPAddress address, string? hostname, CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        uint key = Ipv4Interface.ToUInt32(address);
        Task<bool> written;
        bool renewed;
        await book.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DhcpLease? held = book.At(key);
            if (client.Reserved is { } reserved)
            {
                if (!reserved.Equals(address))
                {
                    return ($"{client.Host!.Hostname}'s address is {reserved}", false);
                }
                if (held is not null && held.IsActive(now) && (held.Mac != client.Key || held.State == DhcpLeaseState.Quarantined))
                {
                    return ($"{address} is held by {held.Mac}", false);
                }
            }
            else if (held is null || held.Mac != client.Key || held.State == DhcpLeaseState.Quarantined || !client.Subnet.InPool(key)
                || await ReservedForOtherAsync(key, client, cancellationToken).ConfigureAwait(false))
            {
                return ($"{address} is not {client.Key}'s", false);
            }
            renewed = held is { State: DhcpLeaseState.Bound } && held.Mac == client.Key && held.IsActive(now);
            written = book.Record(new DhcpLease
            {
                Address = address.ToString(),
                Mac = client.Key,
                Hostname = client.Host?.Hostname ?? hostname ?? held?.Hostname,
                State = DhcpLeaseState.Bound,
                ExpiresAt = now + client.Subnet.LeaseTime,
                UpdatedAt = now,
            });
        }
        finally
        {
            book.Gate.Release();
        }
        return await written.ConfigureAwait(false) ? (null, renewed) : ($"{address} is held by another appliance", false);
    }

    /// <summary>The client chose another server's offer (RFC 2131 §4.3.2): the address held for it is free again.</summary>
    private async Task ForgetOfferAsync(Client client, CancellationToken cancellationToken)
    {
        List<Task<bool>> written = [];
        await book.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (DhcpLease offered in book.OfMac(client.Key).Where(l => l.State == DhcpLeaseState.Offered).Select(l => l.Copy()).ToList())
            {
                offered.State = DhcpLeaseState.Released;
                offered.ExpiresAt = offered.UpdatedAt = time.GetUtcNow().UtcDateTime;
                written.Add(book.Record(offered));
            }
        }
        finally
        {
            book.Gate.Release();
        }
        await Task.WhenAll(written).ConfigureAwait(false);
    }

    /// <summary>RFC 2131 §4.3.3: the client found another machine on the address (its ARP check); nobody gets it for a while.</summary>
    private async Task<DhcpReply?> DeclineAsync(DhcpMessage request, Client client, CancellationToken cancellationToken)
    {
        if (request.RequestedAddress is not { } address || book.At(Ipv4Interface.ToUInt32(address)) is not { } lease || lease.Mac != client.Key)
        {
            return null;
        }
        LogDeclined(client.Key, address, client.Who);
        await QuarantineAsync(address, client.Key, $"declined by {client.Key}: another machine answers on it", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task QuarantineAsync(IPAddress address, string mac, string reason, CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        Task<bool> written;
        await book.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            written = book.Record(new DhcpLease
            {
                Address = address.ToString(),
                Mac = mac,
                State = DhcpLeaseState.Quarantined,
                ExpiresAt = now + options.Value.Quarantine,
                UpdatedAt = now,
                Reason = reason,
            });
        }
        finally
        {
            book.Gate.Release();
        }
        await written.ConfigureAwait(false);
    }

    /// <summary>RFC 2131 §4.3.4: the client gives its address back (ciaddr); it is kept for the client should it ask again.</summary>
    private async Task<DhcpReply?> ReleaseAsync(DhcpMessage request, Client client, CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        Task<bool>? written = null;
        await book.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (book.At(Ipv4Interface.ToUInt32(request.ClientAddress)) is { State: DhcpLeaseState.Bound } lease && lease.Mac == client.Key)
            {
                DhcpLease released = lease.Copy();
                released.State = DhcpLeaseState.Released;
                released.ExpiresAt = released.UpdatedAt = now;
                written = book.Record(released);
            }
        }
        finally
        {
            book.Gate.Release();
        }
        if (written is not null && await written.ConfigureAwait(false))
        {
            LogReleased(client.Key, request.ClientAddress);
        }
        return null;
    }

    private DhcpReply Nak(DhcpMessage request, Client client, IPAddress server, IPAddress address, string why)
    {
        LogNak(client.Key, address, why);
        return DhcpServerReplies.Nak(request, server, why);
    }

    /// <summary>An OFFER or ACK for <paramref name="address"/> (0.0.0.0 for an INFORM: no address, no lease time).</summary>
    private DhcpReply Reply(DhcpMessage request, Client client, IPAddress server, DhcpMessageType type, IPAddress address)
    {
        DhcpSubnet subnet = client.Subnet;
        HostRecord? host = client.Host;
        IPAddress bootServer = subnet.BootServer ?? server;
        var terms = new DhcpLeaseTerms
        {
            YourAddress = address,
            LeaseTime = address.Equals(IPAddress.Any) ? null : subnet.LeaseTime,
            SubnetMask = subnet.Network.Netmask,
            Router = host is not null ? Parse(host.Gateway) : subnet.Router,
            Dns = host is { Dns.Count: > 0 } ? [.. host.Dns.Select(Parse).OfType<IPAddress>()] : subnet.Dns,
            Domain = host is not null ? host.Domain : subnet.Domain,
            Hostname = host?.Hostname,
            BootServer = bootServer,
            BootFile = request.IsPxe || request.IsHttpBoot || request.UserClass == "iPXE" ? boot.BootFileFor(request, host, bootServer, viaProxyDhcp: false) : null,
        };
        return DhcpServerReplies.For(request, type, server, terms);
    }

    private static IPAddress? Parse(string? address) => Ipv4Interface.TryParseAddress(address, out IPAddress parsed) ? parsed : null;
}
