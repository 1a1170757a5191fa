using System.Net;
using System.Text.Json;
using Provisioner.Core.Deploy;
using Provisioner.Core.Images;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Deploy;

/// <summary>
/// Image profiles from request to plan: the boot config that boots the image live, the plan and NoCloud
/// data the agent fetches with the build's token, its steps, and what an ended build refuses.
/// </summary>
public sealed class DeploymentsTests
{
    private const string Base = "http://192.0.2.1:8080";
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.11");

    private static async Task<(TestInventory Inventory, HostRecord Host)> DeployingAsync(Func<HostFields, HostFields>? change = null)
    {
        TestInventory inventory = await TestInventory.CreateAsync();
        HostFields fields = TestInventory.Sample(1) with { Profile = "image:debian12", SshKeys = [SshKeygen.Line(inventory.Dir, comment: "host")] };
        HostRecord host = await inventory.Hosts.CreateAsync(change is null ? fields : change(fields), default);
        host = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        return (inventory, host);
    }

    [Fact]
    public async Task Validation_ImageProfileNeedsItsDefinition()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();

        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Profile = "image:debian12" }, default);
        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() => inventory.Hosts.CreateAsync(TestInventory.Sample(2) with { Profile = "image:nosuch" }, default));

        Assert.Equal("image:debian12", host.Profile);
        Assert.Contains("'image:nosuch' names no image definition images/nosuch.json", string.Join(' ', refused.Errors.Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BootConfig_BuildingImageHost_BootsTheCurrentVersionLive_WithItsDeployUrl()
    {
        (TestInventory inventory, HostRecord host) = await DeployingAsync();
        await using TestInventory _ = inventory;
        Assert.Null(await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", Base, default));

        await inventory.AddImageVersionAsync("20261201T000000Z");
        string? first = await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", Base, default);
        await inventory.AddImageVersionAsync("20261204T030512Z");
        string? second = await inventory.Configs.RenderAsync("01-aa-bb-cc-dd-ee-01", Base, default);

        Assert.Contains("KERNEL images/debian12/20261201T000000Z/vmlinuz", first, StringComparison.Ordinal);
        Assert.Contains("KERNEL images/debian12/20261204T030512Z/vmlinuz", second, StringComparison.Ordinal);
        Assert.Contains($"boot=live fetch={Base}/boot/images/debian12/20261204T030512Z/root.squashfs provisioner.deploy={Base}/build/{host.BuildToken} quiet", second, StringComparison.Ordinal);
        Assert.Contains("console=ttyS1,115200n8", second, StringComparison.Ordinal);
        Assert.Contains("no built version yet", Assert.Single(await new Provisioner.Core.Boot.ProfileBootFiles(inventory.Templates, null!, null!, new ImageStore(Path.Join(inventory.Dir, "none"))).BuildWarningsAsync("image:debian12")), StringComparison.Ordinal);
        Assert.Empty(await new Provisioner.Core.Boot.ProfileBootFiles(inventory.Templates, null!, null!, inventory.Images).BuildWarningsAsync("image:debian12"));
    }

    [Fact]
    public async Task Plan_SaysDiskImageChecksumAndConsole()
    {
        (TestInventory inventory, HostRecord host) = await DeployingAsync(f => f with { Settings = new InstallSettings { Disk = "/dev/sdb" }, KernelArgs = "mitigations=off" });
        await using TestInventory _ = inventory;
        ImageManifest image = await inventory.AddImageVersionAsync(rootBytes: 1_000_000_000);

        DeployAnswer answer = await inventory.Deployments.PlanAsync(host.BuildToken!, Base, default);

        using JsonDocument plan = JsonDocument.Parse(answer.Text!);
        JsonElement root = plan.RootElement;
        Assert.Equal("web01.example.org", root.GetProperty("hostname").GetString());
        Assert.Equal("aa:bb:cc:dd:ee:01", root.GetProperty("mac").GetString());
        Assert.Equal("/dev/sdb", root.GetProperty("disk").GetProperty("path").GetString());
        long minBytes = root.GetProperty("disk").GetProperty("min_bytes").GetInt64();
        Assert.InRange(minBytes, 1_000_000_000 + 125_000_000, 1_000_000_000 + 125_000_000 + 400L * 1024 * 1024);
        JsonElement written = root.GetProperty("image");
        ImageFile squashfs = image.Files.Single(f => f.Name == "root.squashfs");
        Assert.Equal($"{Base}/boot/images/debian12/20261204T030512Z/root.squashfs", written.GetProperty("url").GetString());
        Assert.Equal(squashfs.Sha256, written.GetProperty("sha256").GetString());
        Assert.Equal(squashfs.Size, written.GetProperty("size").GetInt64());
        Assert.Equal("mitigations=off console=tty0 console=ttyS1,115200n8", root.GetProperty("grub").GetProperty("cmdline").GetString());
        Assert.Equal("quiet", root.GetProperty("grub").GetProperty("cmdline_default").GetString());
        Assert.Equal("serial --unit=1 --speed=115200", root.GetProperty("grub").GetProperty("serial").GetString());
        Assert.Equal($"{Base}/build/{host.BuildToken}/nocloud", root.GetProperty("nocloud").GetString());
        Assert.Equal(DeployFiles.Agent, (await inventory.Deployments.AgentAsync(host.BuildToken!, default)).Text);
    }

    [Fact]
    public async Task NoCloud_MetaNetworkAndUserData()
    {
        (TestInventory inventory, HostRecord host) = await DeployingAsync();
        await using TestInventory _ = inventory;
        await inventory.AddImageVersionAsync();
        var siteKeys = new Provisioner.Core.Access.SshKeys(inventory.Database, inventory.Time);
        await siteKeys.AddAsync(SshKeygen.Line(inventory.Dir, comment: "site"), "site", default);
        string token = host.BuildToken!;

        string meta = (await inventory.Deployments.NoCloudAsync(token, "meta-data", null, Base, default)).Text!;
        string network = (await inventory.Deployments.NoCloudAsync(token, "network-config", "ens3", Base, default)).Text!;
        string user = (await inventory.Deployments.NoCloudAsync(token, "user-data", null, Base, default)).Text!;

        using JsonDocument metaJson = JsonDocument.Parse(meta);
        Assert.Equal("web01", metaJson.RootElement.GetProperty("local-hostname").GetString());
        Assert.StartsWith($"provisioner-{host.Id}-", metaJson.RootElement.GetProperty("instance-id").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, meta, StringComparison.Ordinal);
        using JsonDocument networkJson = JsonDocument.Parse(network);
        JsonElement card = networkJson.RootElement.GetProperty("ethernets").GetProperty("ens3");
        Assert.Equal(2, networkJson.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("aa:bb:cc:dd:ee:01", card.GetProperty("match").GetProperty("macaddress").GetString());
        Assert.Equal("192.0.2.11/24", card.GetProperty("addresses")[0].GetString());
        Assert.Equal("192.0.2.1", card.GetProperty("routes")[0].GetProperty("via").GetString());
        Assert.Equal("192.0.2.53", card.GetProperty("nameservers").GetProperty("addresses")[0].GetString());
        Assert.StartsWith("#cloud-config\n", user, StringComparison.Ordinal);
        using JsonDocument userJson = JsonDocument.Parse(user["#cloud-config\n".Length..]);
        JsonElement config = userJson.RootElement;
        Assert.Equal("web01.example.org", config.GetProperty("fqdn").GetString());
        Assert.False(config.GetProperty("disable_root").GetBoolean());
        JsonElement root = config.GetProperty("users")[0];
        Assert.Equal(("root", false), (root.GetProperty("name").GetString(), root.GetProperty("lock_passwd").GetBoolean()));
        Assert.Equal([.. await siteKeys.LinesAsync(default), .. host.SshKeys], root.GetProperty("ssh_authorized_keys").EnumerateArray().Select(k => k.GetString()!));
        Assert.Equal(1, config.GetProperty("users").GetArrayLength());
        Assert.Equal($"{Base}/mirror/debian", config.GetProperty("apt").GetProperty("primary")[0].GetProperty("uri").GetString());
        Assert.Equal($"{Base}/mirror/debian-security", config.GetProperty("apt").GetProperty("security")[0].GetProperty("uri").GetString());
        Assert.Equal($"{Base}/build/{token}/booted", config.GetProperty("phone_home").GetProperty("url").GetString());
        Assert.Equal("Etc/UTC", config.GetProperty("timezone").GetString()); // the built-in default: none set for the host or site

        // A new build is a new instance to cloud-init: everything is applied again.
        HostRecord again = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        string metaAgain = (await inventory.Deployments.NoCloudAsync(again.BuildToken!, "meta-data", null, Base, default)).Text!;
        Assert.NotEqual(meta, metaAgain);
        Assert.Null((await inventory.Deployments.NoCloudAsync(again.BuildToken!, "network-config", "../x", Base, default)).Text);
        Assert.Null((await inventory.Deployments.NoCloudAsync(again.BuildToken!, "vendor-data", null, Base, default)).Text);
    }

    [Fact]
    public async Task Steps_MoveTheBuild_CancelledBuildRefusesThemAndEverythingElse()
    {
        (TestInventory inventory, HostRecord host) = await DeployingAsync();
        await using TestInventory _ = inventory;
        await inventory.AddImageVersionAsync();
        string token = host.BuildToken!;

        Assert.True(await inventory.Tracker.DeployStepAsync(host.Id, "writing the image", 70, default));
        await inventory.Writer.FlushAsync();
        HostRecord writing = (await inventory.Lookup.FindByTokenAsync(token, default))!;
        await inventory.Tracker.CancelBuildAsync(host.Id, EventSources.Api, default);

        Assert.Equal((BuildState.Installing, 70, "deploy: writing the image"), (writing.State, writing.Progress, writing.Step));
        Assert.False(await inventory.Tracker.DeployStepAsync(host.Id, "installing GRUB (BIOS)", 84, default));
        Assert.Null((await inventory.Deployments.PlanAsync(token, Base, default)).Text);
        Assert.Null((await inventory.Deployments.AgentAsync(token, default)).Text);
        Assert.Null((await inventory.Deployments.NoCloudAsync(token, "user-data", null, Base, default)).Text);
    }

    [Fact]
    public async Task InstallerHost_GetsNoPlan_ImageHost_GetsNoPreseed()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.AddImageVersionAsync();
        HostRecord installer = await inventory.Tracker.RequestBuildAsync((await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default)).Id, EventSources.Api, default);
        HostRecord image = await inventory.Tracker.RequestBuildAsync((await inventory.Hosts.CreateAsync(TestInventory.Sample(2) with { Profile = "image:debian12" }, default)).Id, EventSources.Api, default);

        DeployAnswer plan = await inventory.Deployments.PlanAsync(installer.BuildToken!, Base, default);
        Provisioner.Core.Builds.PreseedResult preseed = await inventory.Preseeds.ForTokenAsync(image.BuildToken!, Base, default);

        Assert.Equal("host web01 runs an installer (profile debian12), not an image deploy", plan.Reason);
        Assert.Equal("profile image:debian12 deploys an image: it has no preseed", preseed.Reason);
    }

    /// <summary>The templates page and a host's page show an image profile's config: for the host's image as built, else a made-up version.</summary>
    [Fact]
    public async Task Preview_ImageConfig_ForSampleAndForAnImageHost()
    {
        (TestInventory inventory, HostRecord host) = await DeployingAsync();
        await using TestInventory _ = inventory;
        await inventory.AddImageVersionAsync();
        var preview = new TemplatePreview(inventory.Templates, Microsoft.Extensions.Options.Options.Create(new PreseedOptions()), images: inventory.Images);

        string sample = await preview.RenderAsync("pxelinux/image.liquid", null, Base);
        string own = await preview.RenderAsync("pxelinux/image.liquid", host, Base);

        Assert.Contains("KERNEL images/debian12/20261204T030512Z/vmlinuz", sample, StringComparison.Ordinal);
        Assert.Contains($"provisioner.deploy={Base}/build/{TemplatePreview.Hidden}", own, StringComparison.Ordinal);
        Assert.Contains("console=ttyS1,115200n8", own, StringComparison.Ordinal);
    }
}
