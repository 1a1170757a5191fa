using System.Collections.Concurrent;
using Provisioner.Core.Events;

namespace Provisioner.Core.Power;

/// <summary>
/// The last power reading of each host with a BMC (the poller's and every action's), for the host list,
/// host page and API. A reading that says something new (on, off, or not answering) is announced as
/// <see cref="HostChanged"/>, so open pages show it without a reload.
/// </summary>
public sealed class PowerReadings(IEventBus? bus = null)
{
    private readonly ConcurrentDictionary<int, PowerReading> _last = new();

    public PowerReading? Of(int hostId) => _last.TryGetValue(hostId, out PowerReading? reading) ? reading : null;

    /// <summary>Every host's last reading, by host id.</summary>
    public IEnumerable<(int HostId, PowerReading Reading)> All() => _last.OrderBy(r => r.Key).Select(r => (r.Key, r.Value));

    public void Set(int hostId, PowerReading reading)
    {
        PowerReading? before = _last.TryGetValue(hostId, out PowerReading? known) ? known : null;
        _last[hostId] = reading;
        if (before is null || before.State != reading.State || before.Error != reading.Error)
        {
            bus?.Publish(new HostChanged(reading.At, hostId));
        }
    }

    public void Forget(int hostId) => _last.TryRemove(hostId, out _);

    /// <summary>Drops readings of hosts that no longer have a BMC.</summary>
    public void KeepOnly(IReadOnlySet<int> hostIds)
    {
        foreach (int id in _last.Keys.Where(id => !hostIds.Contains(id)))
        {
            _last.TryRemove(id, out _);
        }
    }
}
