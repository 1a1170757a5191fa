using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

public sealed class HostDirectoryTests
{
    [Fact]
    public async Task FindByMac_AfterAWriteInThisProcess_SeesItAtOnce()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress mac));
        Assert.Null(await inventory.Lookup.FindByMacAsync(mac, default));

        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        Assert.Equal("web01", (await inventory.Lookup.FindByMacAsync(mac, default))?.Hostname);
    }

    [Fact]
    public async Task FindByToken_WriteByAnotherAppliance_SeenAfterRevalidateInterval()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string first = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;
        Assert.NotNull(await inventory.Lookup.FindByTokenAsync(first, default));

        // A second appliance on the same database (its own directory) starts a new build.
        await using var otherWriter = new TimelineWriter(inventory.Database, new HostDirectory(inventory.Database, inventory.Time), Microsoft.Extensions.Logging.Abstractions.NullLogger<TimelineWriter>.Instance);
        var other = new BuildTracker(inventory.Database, otherWriter, inventory.Time);
        string second = (await other.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;

        Assert.NotNull(await inventory.Lookup.FindByTokenAsync(first, default));
        inventory.Time.Advance(HostDirectory.RevalidateInterval);
        Assert.Null(await inventory.Lookup.FindByTokenAsync(first, default));
        Assert.Equal(host.Id, (await inventory.Lookup.FindByTokenAsync(second, default))?.Id);
    }
}
