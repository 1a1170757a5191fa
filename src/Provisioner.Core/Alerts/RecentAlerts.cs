using System.Collections.Immutable;

namespace Provisioner.Core.Alerts;

/// <summary>The latest alerts and how their deliveries went, for the dashboard; in memory, newest first.</summary>
public sealed class RecentAlerts
{
    public const int Capacity = 50;

    private readonly Lock _gate = new();
    private ImmutableList<(Alert Alert, ImmutableList<AlertDelivery> Deliveries)> _alerts = [];

    public IReadOnlyList<(Alert Alert, IReadOnlyList<AlertDelivery> Deliveries)> List() =>
        Volatile.Read(ref _alerts).Select(a => (a.Alert, (IReadOnlyList<AlertDelivery>)a.Deliveries)).ToList();

    public void Add(Alert alert)
    {
        lock (_gate)
        {
            ImmutableList<(Alert, ImmutableList<AlertDelivery>)> next = _alerts.Insert(0, (alert, []));
            _alerts = next.Count > Capacity ? next.RemoveAt(Capacity) : next;
        }
    }

    public void Delivered(Alert alert, AlertDelivery delivery)
    {
        lock (_gate)
        {
            int index = _alerts.FindIndex(a => ReferenceEquals(a.Alert, alert));
            if (index >= 0)
            {
                _alerts = _alerts.SetItem(index, (alert, _alerts[index].Deliveries.Add(delivery)));
            }
        }
    }
}
