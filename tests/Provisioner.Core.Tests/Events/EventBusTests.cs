using System.Net;
using Provisioner.Core.Events;

namespace Provisioner.Core.Tests.Events;

public class EventBusTests
{
    private static TransferStarted Started(string path) => new(DateTimeOffset.UnixEpoch, "tftp", new IPEndPoint(IPAddress.Loopback, 1), path, 1);

    [Fact]
    public async Task Publish_TwoSubscribers_EachGetsEveryEventInOrder()
    {
        var bus = new EventBus();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        IAsyncEnumerator<ProvisionerEvent> first = bus.SubscribeAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        IAsyncEnumerator<ProvisionerEvent> second = bus.SubscribeAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        // A subscription starts when its enumeration does.
        ValueTask<bool> firstMoved = first.MoveNextAsync();
        ValueTask<bool> secondMoved = second.MoveNextAsync();
        await WaitForSubscribersAsync(bus, 2);

        bus.Publish(Started("a"));
        bus.Publish(Started("b"));

        Assert.True(await firstMoved);
        Assert.True(await secondMoved);
        Assert.Equal("a", ((TransferEvent)first.Current).Path);
        Assert.Equal("a", ((TransferEvent)second.Current).Path);
        Assert.True(await first.MoveNextAsync());
        Assert.Equal("b", ((TransferEvent)first.Current).Path);
        await first.DisposeAsync();
        await second.DisposeAsync();
        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public void Publish_NoSubscribers_DoesNothing()
    {
        var bus = new EventBus();

        bus.Publish(Started("a"));

        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public async Task Publish_SlowSubscriber_LosesOldestNotNewest()
    {
        var bus = new EventBus();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        IAsyncEnumerator<ProvisionerEvent> slow = bus.SubscribeAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        ValueTask<bool> moved = slow.MoveNextAsync();
        await WaitForSubscribersAsync(bus, 1);
        bus.Publish(Started("first"));
        Assert.True(await moved);

        for (int i = 0; i < EventBus.SubscriberCapacity + 10; i++)
        {
            bus.Publish(Started($"e{i}"));
        }

        Assert.True(await slow.MoveNextAsync());
        Assert.Equal("e10", ((TransferEvent)slow.Current).Path);
        await slow.DisposeAsync();
    }

    private static async Task WaitForSubscribersAsync(EventBus bus, int count)
    {
        for (int i = 0; i < 500 && bus.SubscriberCount < count; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(count, bus.SubscriberCount);
    }
}
