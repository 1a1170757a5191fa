using System.Collections.Concurrent;
using System.Net;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Network;

/// <summary>
/// Which MAC uses which IPv4 address on the provisioning network, as learnt from the wire
/// (DHCP and ARP, fed by packet capture). The generic preseed URL uses it to tell who is asking.
/// </summary>
public interface IIpMacBindings
{
    bool TryGetMac(IPAddress ip, out MacAddress mac);

    void Record(IPAddress ip, MacAddress mac, DateTimeOffset seenAt);
}

/// <summary>Bindings kept in memory: what was seen since the appliance started.</summary>
public sealed class InMemoryIpMacBindings : IIpMacBindings
{
    private readonly ConcurrentDictionary<IPAddress, (MacAddress Mac, DateTimeOffset SeenAt)> _bindings = new();

    public bool TryGetMac(IPAddress ip, out MacAddress mac)
    {
        bool found = _bindings.TryGetValue(ip, out var binding);
        mac = binding.Mac;
        return found;
    }

    public void Record(IPAddress ip, MacAddress mac, DateTimeOffset seenAt) => _bindings[ip] = (mac, seenAt);
}
