using System.Collections.Concurrent;
using Provisioner.Core.Inventory;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Network;

/// <summary>An unregistered machine seen PXE-booting.</summary>
public sealed record DiscoveredMachine(
    string Mac, string? VendorClass, string? Architecture, string? Ip, string? Hostname, Guid? Uuid,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count)
{
    /// <summary>The DHCP server that answered it (option 54 of its OFFER or ACK).</summary>
    public string? DhcpServer { get; init; }
}

/// <summary>
/// Unknown MACs that sent PXE DHCP requests, for one-step registration. Kept in memory: a machine
/// that is still unregistered after a restart shows up again at its next PXE boot. A dismissed MAC
/// is not listed again until the appliance restarts.
/// </summary>
public sealed class DiscoveredMachines
{
    private readonly ConcurrentDictionary<string, DiscoveredMachine> _machines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dismissed = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>Raised by every change, so a live page can tell that the list moved without comparing it.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Seen(MacAddress mac, string? vendorClass, string? architecture, string? ip, string? hostname, Guid? uuid, DateTimeOffset at)
    {
        string key = mac.ToString();
        if (_dismissed.ContainsKey(key))
        {
            return;
        }
        Interlocked.Increment(ref _version);
        _machines.AddOrUpdate(key,
            _ => new DiscoveredMachine(key, vendorClass, architecture, ip, hostname, uuid, at, at, 1),
            (_, old) => old with
            {
                VendorClass = vendorClass ?? old.VendorClass,
                Architecture = architecture ?? old.Architecture,
                Ip = ip ?? old.Ip,
                Hostname = hostname ?? old.Hostname,
                Uuid = uuid ?? old.Uuid,
                LastSeen = at > old.LastSeen ? at : old.LastSeen,
                Count = old.Count + 1,
            });
    }

    /// <summary>A DHCP server answered a listed machine; machines not listed are left alone.</summary>
    public void Answered(MacAddress mac, string server)
    {
        string key = mac.ToString();
        while (_machines.TryGetValue(key, out DiscoveredMachine? old) && old.DhcpServer != server)
        {
            if (_machines.TryUpdate(key, old with { DhcpServer = server }, old))
            {
                Interlocked.Increment(ref _version);
                return;
            }
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<DiscoveredMachine> List() => _machines.Values.OrderByDescending(m => m.LastSeen).ToList();

    public DiscoveredMachine? Find(MacAddress mac) => _machines.TryGetValue(mac.ToString(), out DiscoveredMachine? machine) ? machine : null;

    /// <summary>Takes a machine off the list (it was registered); false when it was not listed.</summary>
    public bool Remove(MacAddress mac)
    {
        Interlocked.Increment(ref _version);
        return _machines.TryRemove(mac.ToString(), out _);
    }

    /// <summary>Takes a machine off the list and keeps it off.</summary>
    public bool Dismiss(MacAddress mac)
    {
        _dismissed[mac.ToString()] = 0;
        return Remove(mac);
    }
}
