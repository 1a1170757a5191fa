using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Network;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Builds;

/// <summary>
/// Which registered host an address belongs to, for traffic that carries no token (TFTP of the boot
/// loader, syslog lines): first the IP→MAC binding learnt from the wire, then the address that
/// fetched the host's boot config or preseed, then the host's own static address (the installer
/// switches to it in early_command).
/// </summary>
public sealed class HostResolver(IIpMacBindings bindings, HostDirectory directory, InventoryDatabase database, TimeProvider time)
{
    // The address a building host used when it fetched its boot config or preseed: the kernel and
    // initrd come from the same address, and nothing else (before packet capture) ties them to the host.
    private readonly ConcurrentDictionary<IPAddress, (int HostId, long At)> _bootingPeers = new();

    /// <summary>Peers remembered at most; past it the older half is forgotten (a rack has far fewer booting at once).</summary>
    public const int MaxBootingPeers = 10_000;

    /// <summary>How long a static-address look-up (hit or miss) is reused.</summary>
    public static readonly TimeSpan StaticAddressCache = TimeSpan.FromSeconds(30);

    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<IPAddress, (int? HostId, long At)> _byStaticIp = new();

    /// <summary>The host's boot config or preseed went to <paramref name="peer"/>: what comes from there next is its.</summary>
    public void Remember(IPAddress peer, int hostId)
    {
        if (_bootingPeers.Count >= MaxBootingPeers && !_bootingPeers.ContainsKey(peer))
        {
            ForgetOlderHalf();
        }
        _bootingPeers[peer] = (hostId, time.GetTimestamp());
    }

    /// <summary>The host whose boot config or preseed last went to <paramref name="peer"/>, if any.</summary>
    public int? HostAt(IPAddress peer) => _bootingPeers.TryGetValue(peer, out var booting) ? booting.HostId : null;

    /// <summary>How many peers are remembered (for tests and the bound above).</summary>
    public int BootingPeers => _bootingPeers.Count;

    private void ForgetOlderHalf()
    {
        foreach (KeyValuePair<IPAddress, (int HostId, long At)> old in _bootingPeers.OrderBy(p => p.Value.At).Take(_bootingPeers.Count / 2).ToList())
        {
            _bootingPeers.TryRemove(old);
        }
    }

    public async ValueTask<int?> FindAsync(IPAddress peer, CancellationToken cancellationToken)
    {
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }
        if (bindings.TryGetMac(peer, out MacAddress mac) && await directory.FindByMacAsync(mac, cancellationToken).ConfigureAwait(false) is { } bound)
        {
            return bound.Id;
        }
        if (HostAt(peer) is { } booting)
        {
            return booting;
        }
        long now = time.GetTimestamp();
        if (_byStaticIp.TryGetValue(peer, out var cached) && time.GetElapsedTime(cached.At, now) < StaticAddressCache)
        {
            return cached.HostId;
        }
        string ip = peer.ToString();
        int? hostId;
        await using (InventoryDbContext db = database.CreateContext())
        {
            hostId = await db.Hosts.Where(h => h.Ip == ip).Select(h => (int?)h.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_byStaticIp.Count >= MaxCached)
        {
            _byStaticIp.Clear();
        }
        _byStaticIp[peer] = (hostId, now);
        return hostId;
    }
}
