using System.Net;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Builds;

public sealed class HostResolverTests
{
    [Fact]
    public async Task FindAsync_ByCaptureBinding_ByBootRequest_ByStaticAddress_ElseNull()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord two = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        await inventory.Tracker.RequestBuildAsync(two.Id, EventSources.Api, default);
        inventory.Bindings.Record(IPAddress.Parse("192.0.2.101"), MacAddress.TryParse(one.Mac, out MacAddress mac) ? mac : default, inventory.Time.GetUtcNow(), out _);
        Assert.NotNull(await inventory.ServeConfigAsync("01-aa-bb-cc-dd-ee-02", IPAddress.Parse("192.0.2.102"), "http://192.0.2.1:8080"));

        Assert.Equal(one.Id, await inventory.Resolver.FindAsync(IPAddress.Parse("192.0.2.101"), default));
        Assert.Equal(two.Id, await inventory.Resolver.FindAsync(IPAddress.Parse("::ffff:192.0.2.102"), default));
        Assert.Equal(one.Id, await inventory.Resolver.FindAsync(IPAddress.Parse(one.Ip), default));
        Assert.Null(await inventory.Resolver.FindAsync(IPAddress.Parse("192.0.2.99"), default));
    }

    /// <summary>Every delivered config adds its peer; a sender using ever new addresses must not grow the memory without end.</summary>
    [Fact]
    public async Task Remember_PastTheBound_ForgetsTheOldestPeersAndKeepsTheNewest()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        for (int i = 0; i <= HostResolver.MaxBootingPeers; i++)
        {
            inventory.Resolver.Remember(Documentation(i), hostId: i);
            inventory.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(inventory.Resolver.BootingPeers, 1, HostResolver.MaxBootingPeers);
        Assert.Null(inventory.Resolver.HostAt(Documentation(0)));
        Assert.Equal(HostResolver.MaxBootingPeers, inventory.Resolver.HostAt(Documentation(HostResolver.MaxBootingPeers)));
    }

    /// <summary>An address from the IPv6 documentation prefix (RFC 3849): enough of them, and nobody's.</summary>
    private static IPAddress Documentation(int i) => IPAddress.Parse(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"2001:db8::{i:x}"));
}
