using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

/// <summary>Paged host lists (<see cref="HostService.PageAsync"/>, <see cref="HostService.PageAfterAsync"/>) over a real SQLite file.</summary>
public sealed class HostPageTests
{
    // Host n gets 192.0.2.(10+n): 19, 20, 110, 200 and 8 sort differently as text and as numbers.
    private static readonly int[] Numbers = [9, 10, 100, 190, 240, 1, 2];

    private static async Task<TestInventory> InventoryAsync()
    {
        TestInventory inventory = await TestInventory.CreateAsync();
        foreach (int n in Numbers)
        {
            await inventory.Hosts.CreateAsync(TestInventory.Sample(n), default);
        }
        return inventory;
    }

    [Fact]
    public async Task PageAsync_ByIp_IsNumericOrderAcrossPages()
    {
        await using TestInventory inventory = await InventoryAsync();
        var seen = new List<string>();
        for (int skip = 0; skip < Numbers.Length; skip += 3)
        {
            HostPage page = await inventory.Hosts.PageAsync(new HostQuery(), HostSort.Ip, descending: false, skip, 3, default);
            Assert.Equal(Numbers.Length, page.Total);
            seen.AddRange(page.Hosts.Select(h => h.Ip));
        }
        Assert.Equal(["192.0.2.11", "192.0.2.12", "192.0.2.19", "192.0.2.20", "192.0.2.110", "192.0.2.200", "192.0.2.250"], seen);
    }

    [Fact]
    public async Task PageAsync_DescendingByHostname_WithFilter_CountsOnlyMatches()
    {
        await using TestInventory inventory = await InventoryAsync();
        HostPage page = await inventory.Hosts.PageAsync(new HostQuery("web1"), HostSort.Hostname, descending: true, 0, 2, default);
        Assert.Equal(["web190", "web100"], page.Hosts.Select(h => h.Hostname));
        Assert.Equal(3, page.Total);
        HostPage rest = await inventory.Hosts.PageAsync(new HostQuery("web1"), HostSort.Hostname, descending: true, 2, 2, default);
        Assert.Equal(["web10"], rest.Hosts.Select(h => h.Hostname));
    }

    [Fact]
    public async Task PageAsync_PastTheEnd_IsEmptyWithTheTotal()
    {
        await using TestInventory inventory = await InventoryAsync();
        HostPage page = await inventory.Hosts.PageAsync(new HostQuery(), HostSort.Mac, descending: false, 100, 10, default);
        Assert.Empty(page.Hosts);
        Assert.Equal(Numbers.Length, page.Total);
    }

    [Fact]
    public async Task PageAsync_Building_KeepsOnlyHostsWithABuildUnderWay()
    {
        await using TestInventory inventory = await InventoryAsync();
        HostRecord host = (await inventory.Hosts.FindAsync("web100", default))!;
        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        HostPage page = await inventory.Hosts.PageAsync(new HostQuery(Building: true), HostSort.Updated, descending: false, 0, 10, default);
        Assert.Equal(["web100"], page.Hosts.Select(h => h.Hostname));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task PageAfterAsync_WalksEveryHostOnce_EvenWhenOneIsAddedBehindTheCursor()
    {
        await using TestInventory inventory = await InventoryAsync();
        var seen = new List<string>();
        string? after = null;
        for (int pages = 0; pages < 10; pages++)
        {
            HostPage page = await inventory.Hosts.PageAfterAsync(new HostQuery(), after, 2, default);
            seen.AddRange(page.Hosts.Select(h => h.Hostname));
            if (page.Hosts.Count < 2)
            {
                break;
            }
            after = page.Hosts[^1].Hostname;
            if (pages == 0)
            {
                // Sorts before the cursor: an offset page would now repeat a host.
                await inventory.Hosts.CreateAsync(TestInventory.Sample(0), default);
            }
        }
        Assert.Equal(["web01", "web02", "web09", "web10", "web100", "web190", "web240"], seen);
    }
}
