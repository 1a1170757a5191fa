using System.Net;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Builds;

public sealed class PreseedsTests
{
    private static readonly IPAddress Requester = IPAddress.Parse("192.0.2.150");

    [Fact]
    public async Task ForRequester_BoundToABuildingHost_GetsThatHostsPreseed()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        HostRecord two = await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);
        await inventory.Tracker.RequestBuildAsync(one.Id, EventSources.Api, default);
        await inventory.Tracker.RequestBuildAsync(two.Id, EventSources.Api, default);
        Assert.True(MacAddress.TryParse(two.Mac, out MacAddress mac));
        inventory.Bindings.Record(Requester, mac, inventory.Time.GetUtcNow(), out _, vouched: true);

        PreseedResult result = await inventory.Preseeds.ForRequesterAsync(Requester, null, "http://192.0.2.1:8080", default);

        Assert.Contains("d-i netcfg/get_ipaddress string 192.0.2.12", result.Text, StringComparison.Ordinal);
        Assert.Contains("d-i netcfg/hostname string web02", result.Text, StringComparison.Ordinal);
    }

    /// <summary>A spoofed ACK or ARP reply once made the generic URL hand a host's preseed (and token) to another address.</summary>
    [Fact]
    public async Task ForRequester_BindingNoTrustedServerVouchedFor_IsRefused()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Tracker.RequestBuildAsync(one.Id, EventSources.Api, default);
        Assert.True(MacAddress.TryParse(one.Mac, out MacAddress mac));
        inventory.Bindings.Record(Requester, mac, inventory.Time.GetUtcNow(), out _, vouched: false);

        PreseedResult result = await inventory.Preseeds.ForRequesterAsync(Requester, null, "http://x", default);

        Assert.Null(result.Text);
        Assert.Contains($"192.0.2.150 is claimed by {mac}, but no trusted DHCP server assigned it", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForRequester_Unknown_IsRefusedWithAReason()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Tracker.RequestBuildAsync(one.Id, EventSources.Api, default);

        PreseedResult result = await inventory.Preseeds.ForRequesterAsync(Requester, null, "http://x", default);

        Assert.Null(result.Text);
        Assert.Contains("no MAC address is known for 192.0.2.150", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForRequester_HostNotBuilding_IsRefused()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord one = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.True(MacAddress.TryParse(one.Mac, out MacAddress mac));
        inventory.Bindings.Record(Requester, mac, inventory.Time.GetUtcNow(), out _, vouched: true);

        PreseedResult result = await inventory.Preseeds.ForRequesterAsync(Requester, null, "http://x", default);

        Assert.Null(result.Text);
        Assert.Contains("no build in progress", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForToken_Unknown_IsRefused()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        Assert.Null((await inventory.Preseeds.ForTokenAsync(BuildTokens.New(), "http://x", default)).Text);
        Assert.Null((await inventory.Preseeds.ForTokenAsync("../../etc/passwd", "http://x", default)).Text);
    }
}
