using System.Net;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Builds;

public sealed class BootConfigsTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.200");

    [Theory]
    [InlineData("C000020A")]
    [InlineData("C0")]
    [InlineData("564d1234-5678-9abc-def0-123456789abc")]
    [InlineData("01-aa-bb-cc-dd-ee-99")]
    [InlineData("01-aa-bb-cc-dd-ee")]
    [InlineData("../default")]
    public async Task RenderAsync_NamesNotOurs_AreMisses(string name)
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.Null(await inventory.Configs.RenderAsync(name, "http://192.0.2.1:8080", default));
    }

    [Fact]
    public async Task RenderAsync_Default_IsLocalBoot()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        string? config = await inventory.Configs.RenderAsync("default", "http://192.0.2.1:8080", default);
        Assert.Contains("LOCALBOOT 0", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_RegisteredHostNotBuilding_GetsLocalBootAndStaysIdle()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);

        string? config = await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", "http://192.0.2.1:8080", default);

        Assert.Contains("LOCALBOOT 0", config, StringComparison.Ordinal);
        Assert.Equal(BuildState.Idle, (await inventory.Hosts.FindAsync("web01", default))!.State);
    }

    [Fact]
    public async Task RenderAsync_RegisteredHostsNotBuilding_ShareOneRenderAndKeepNone()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default);

        string? first = await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", "http://192.0.2.1:8080", default);
        string? second = await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-02", "http://192.0.2.1:8080", default);

        Assert.Same(first, second);
        Assert.True(MacAddress.TryParse("aa:bb:cc:dd:ee:01", out MacAddress mac));
        HostRecord host = (await inventory.Lookup.FindByMacAsync(mac, default))!;
        Assert.Equal(0, host.Renders.Count);
    }

    [Fact]
    public async Task RenderAsync_BuildingHost_CarriesItsPreseedUrlHostnameAndConsole()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { KernelArgs = "net.ifnames=0" }, default);
        string token = (await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default)).BuildToken!;

        string config = (await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", "http://192.0.2.1:8080", default))!;

        string append = config.Split('\n').Single(l => l.TrimStart().StartsWith("APPEND", StringComparison.Ordinal));
        Assert.Contains("auto=true priority=critical", append, StringComparison.Ordinal);
        Assert.Contains($"url=http://192.0.2.1:8080/build/{token}/preseed", append, StringComparison.Ordinal);
        Assert.Contains("netcfg/get_hostname=web01", append, StringComparison.Ordinal);
        Assert.Contains("console=tty0 console=ttyS1,115200n8", append, StringComparison.Ordinal);
        Assert.Contains("net.ifnames=0", append, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grub.cfg-C000020A")]
    [InlineData("grub.cfg-01-aa-bb-cc-dd-ee-99")]
    [InlineData("grub.cfg-01-aa-bb-cc-dd-ee")]
    [InlineData("x86_64-efi/command.lst")]
    public async Task RenderAsync_GrubNamesNotOurs_AreMisses(string name)
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        Assert.Null(await inventory.Configs.RenderAsync(BootLoader.Grub, name, "http://192.0.2.1:8080", default));
    }

    [Fact]
    public async Task RenderAsync_GrubAndIpxe_InstallerWhileBuilding_LocalBootOtherwise_DefaultForUnknown()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        const string Base = "http://192.0.2.1:8080";

        Assert.Contains("exit", await inventory.Configs.RenderAsync(BootLoader.Grub, "grub.cfg-01-aa-bb-cc-dd-ee-01", Base, default), StringComparison.Ordinal);
        Assert.Contains("exit", await inventory.Configs.RenderAsync(BootLoader.Grub, "grub.cfg", Base, default), StringComparison.Ordinal);
        Assert.Equal("#!ipxe\nexit\n", await inventory.Configs.RenderAsync(BootLoader.Ipxe, "aa-bb-cc-dd-ee-99", Base, default));

        await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        string? grub = await inventory.ServeConfigAsync("grub.cfg-01-aa-bb-cc-dd-ee-01", Peer, Base, BootLoader.Grub);
        Assert.Contains("linux /debian12/linux auto=true", grub, StringComparison.Ordinal);
        string? ipxe = await inventory.Configs.RenderAsync(BootLoader.Ipxe, "AABB.CCDD.EE01", Base, default);
        Assert.Contains("kernel http://192.0.2.1:8080/boot/debian12/linux initrd=initrd.gz auto=true", ipxe, StringComparison.Ordinal);
        Assert.Contains("initrd --name initrd.gz http://192.0.2.1:8080/boot/debian12/initrd.gz", ipxe, StringComparison.Ordinal);
        await inventory.Tracker.FlushAsync();
        Assert.Contains(await inventory.Tracker.TimelineAsync(host.Id, default), e => e.Message == $"boot config grub/grub.cfg-01-aa-bb-cc-dd-ee-01 served to {Peer}");
    }
}
