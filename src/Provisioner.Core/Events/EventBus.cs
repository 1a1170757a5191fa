using System.Threading.Channels;

namespace Provisioner.Core.Events;

/// <summary>In-process publish/subscribe of <see cref="ProvisionerEvent"/>s.</summary>
public interface IEventBus
{
    /// <summary>Never blocks: a subscriber that falls behind loses its oldest events, not the publisher's time.</summary>
    void Publish(ProvisionerEvent published);

    /// <summary>Events published from now until <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<ProvisionerEvent> SubscribeAsync(CancellationToken cancellationToken);
}

internal sealed class EventBus : IEventBus
{
    /// <summary>Events a slow subscriber may lag behind before it loses the oldest.</summary>
    public const int SubscriberCapacity = 4096;

    private readonly Lock _gate = new();
    private List<Channel<ProvisionerEvent>> _subscribers = [];

    public int SubscriberCount => Volatile.Read(ref _subscribers).Count;

    public void Publish(ProvisionerEvent published)
    {
        foreach (Channel<ProvisionerEvent> subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(published);
        }
    }

    public async IAsyncEnumerable<ProvisionerEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ProvisionerEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        Update(list => [.. list, channel]);
        try
        {
            await foreach (ProvisionerEvent @event in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return @event;
            }
        }
        finally
        {
            Update(list => list.Where(c => c != channel).ToList());
        }
    }

    // Copy-on-write so Publish never takes the lock.
    private void Update(Func<List<Channel<ProvisionerEvent>>, List<Channel<ProvisionerEvent>>> change)
    {
        lock (_gate)
        {
            Volatile.Write(ref _subscribers, change(_subscribers));
        }
    }
}
