using System.Collections.Concurrent;
using System.Net;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Network;

/// <summary>One IP→MAC binding as seen on the wire.</summary>
/// <param name="Vouched">A DHCP server the appliance trusts assigned the address to the MAC (<see cref="DhcpServerTrust"/>); ARP and other servers' ACKs only say who claims it.</param>
public sealed record IpMacBinding(IPAddress Ip, MacAddress Mac, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Vouched = false);

/// <summary>What a new sighting changed, when it changed anything worth saying.</summary>
public enum BindingChange
{
    None,

    /// <summary>The IP was seen before with another MAC: two machines claim it, or it was handed on.</summary>
    IpClaimedByAnotherMac,

    /// <summary>The MAC was seen before on another IP.</summary>
    MacMoved,
}

/// <summary>
/// Which MAC uses which IPv4 address on the provisioning network, as learnt from the wire
/// (DHCP and ARP, fed by packet capture). The generic preseed URL uses it to tell who is asking.
/// </summary>
public interface IIpMacBindings
{
    bool TryGetMac(IPAddress ip, out MacAddress mac);

    /// <summary>The MAC a trusted DHCP server assigned this address to, when the address has not been claimed by another since.</summary>
    bool TryGetVouchedMac(IPAddress ip, out MacAddress mac);

    /// <summary>Records a sighting; says whether it contradicts an earlier one (and <paramref name="previous"/> with what).</summary>
    BindingChange Record(IPAddress ip, MacAddress mac, DateTimeOffset seenAt, out IpMacBinding? previous, bool vouched = false);

    IReadOnlyList<IpMacBinding> List();
}

/// <summary>Bindings kept in memory: what was seen since the appliance started.</summary>
public sealed class InMemoryIpMacBindings : IIpMacBindings
{
    private readonly ConcurrentDictionary<IPAddress, IpMacBinding> _byIp = new();
    private readonly ConcurrentDictionary<MacAddress, IPAddress> _ipOfMac = new();
    private readonly Lock _gate = new();

    public bool TryGetMac(IPAddress ip, out MacAddress mac)
    {
        bool found = _byIp.TryGetValue(ip, out IpMacBinding? binding);
        mac = binding?.Mac ?? default;
        return found;
    }

    public bool TryGetVouchedMac(IPAddress ip, out MacAddress mac)
    {
        bool found = _byIp.TryGetValue(ip, out IpMacBinding? binding) && binding.Vouched;
        mac = found ? binding!.Mac : default;
        return found;
    }

    public BindingChange Record(IPAddress ip, MacAddress mac, DateTimeOffset seenAt, out IpMacBinding? previous, bool vouched = false)
    {
        lock (_gate)
        {
            previous = null;
            BindingChange change = BindingChange.None;
            if (_byIp.TryGetValue(ip, out IpMacBinding? known) && known.Mac == mac)
            {
                _byIp[ip] = known with { LastSeen = seenAt > known.LastSeen ? seenAt : known.LastSeen, Vouched = known.Vouched || vouched };
                return change;
            }
            if (known is not null)
            {
                change = BindingChange.IpClaimedByAnotherMac;
                previous = known;
            }
            else if (_ipOfMac.TryGetValue(mac, out IPAddress? oldIp) && !oldIp.Equals(ip) && _byIp.TryGetValue(oldIp, out IpMacBinding? old))
            {
                change = BindingChange.MacMoved;
                previous = old;
            }
            // Another MAC claiming the address takes the vouching away with the old binding.
            _byIp[ip] = new IpMacBinding(ip, mac, seenAt, seenAt, vouched);
            _ipOfMac[mac] = ip;
            return change;
        }
    }

    public IReadOnlyList<IpMacBinding> List() => _byIp.Values.OrderBy(b => b.Ip.GetAddressBytes(), ByteOrder.Instance).ToList();

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
