using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

/// <summary>Host groups on a real SQLite inventory: inheritance, overrides, "none", and changes that do not fit a member.</summary>
public sealed class HostGroupServiceTests : IAsyncLifetime
{
    private TestInventory _inventory = null!;

    public async Task InitializeAsync() => _inventory = await TestInventory.CreateAsync();

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private static readonly HostGroupFields Rack = new()
    {
        Name = "Rack-A", Domain = "rack-a.example.org", Gateway = "192.0.2.1", Dns = ["192.0.2.53"], Profile = "ubuntu2004",
        Console = "ttyS1,115200n8", Settings = new() { TimeZone = "Europe/Berlin", Packages = "htop" },
    };

    private static HostFields Member(string name, int n) => new() { Mac = $"52:54:00:00:00:{n:x2}", Hostname = name, Ip = $"192.0.2.{n + 10}/24", Group = "rack-a" };

    [Fact]
    public async Task Host_InGroup_TakesWhatItLeavesEmpty_KeepsWhatItSets_NoneClearsAValue()
    {
        await _inventory.Groups.CreateAsync(Rack, default);

        HostRecord plain = await _inventory.Hosts.CreateAsync(Member("web01", 1), default);
        HostRecord own = await _inventory.Hosts.CreateAsync(Member("web02", 2) with
        {
            Gateway = "192.0.2.254", Dns = ["none"], Console = "none", Profile = "debian12", Settings = new() { TimeZone = "Etc/UTC" },
        }, default);

        Assert.Equal(("rack-a", "rack-a.example.org", "192.0.2.1", "ubuntu2004", "ttyS1,115200n8"), (plain.GroupName, plain.Domain, plain.Gateway, plain.Profile, plain.Console));
        Assert.Equal(["192.0.2.53"], plain.Dns);
        Assert.Equal(new InstallSettings { TimeZone = "Europe/Berlin", Packages = "htop" }, plain.Settings);
        Assert.Equal(("192.0.2.254", "debian12", (string?)null), (own.Gateway, own.Profile, own.Console));
        Assert.Empty(own.Dns);
        Assert.Equal(new InstallSettings { TimeZone = "Etc/UTC", Packages = "htop" }, own.Settings);

        // Read back as given: what the host sets, and the group's name; not the merged values.
        HostFields given = HostFields.From(own);
        Assert.Equal(("rack-a", "192.0.2.254", (string?)null, "none"), (given.Group, given.Gateway, given.Domain, given.Console));
        Assert.Equal(["none"], given.Dns);
    }

    [Fact]
    public async Task GroupChange_ReachesWhatMembersInherit_AndNotWhatTheySet()
    {
        HostGroup rack = await _inventory.Groups.CreateAsync(Rack, default);
        await _inventory.Hosts.CreateAsync(Member("web01", 1), default);
        await _inventory.Hosts.CreateAsync(Member("web02", 2) with { Settings = new() { TimeZone = "Etc/UTC" } }, default);
        long revision = (await _inventory.Hosts.FindAsync("web01", default))!.Revision;

        await _inventory.Groups.UpdateAsync(rack.Id, new() { Gateway = "192.0.2.2", Settings = new() { TimeZone = "America/New_York" } }, partial: true, default);

        HostRecord web01 = (await _inventory.Hosts.FindAsync("web01", default))!;
        HostRecord web02 = (await _inventory.Hosts.FindAsync("web02", default))!;
        Assert.Equal("192.0.2.2", web01.Gateway);
        Assert.Equal("America/New_York", web01.Settings.TimeZone);
        Assert.Equal("Etc/UTC", web02.Settings.TimeZone);
        Assert.Equal("htop", web02.Settings.Packages);
        Assert.Equal(revision + 1, web01.Revision);
    }

    [Fact]
    public async Task GroupChange_ThatDoesNotFitAMember_IsAConflictNamingItAndSavesNothing()
    {
        HostGroup rack = await _inventory.Groups.CreateAsync(Rack, default);
        await _inventory.Hosts.CreateAsync(Member("web01", 1), default);
        await _inventory.Hosts.CreateAsync(Member("web02", 2) with { Gateway = "192.0.2.254" }, default);

        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() =>
            _inventory.Groups.UpdateAsync(rack.Id, new() { Gateway = "198.51.100.1" }, partial: true, default));

        Assert.Equal(InventoryErrorKind.Conflict, refused.Kind);
        FieldError error = Assert.Single(refused.Errors);
        Assert.Equal("host web01: gateway", error.Field);
        Assert.Equal("198.51.100.1 is outside the host's subnet 192.0.2.0/24 (the value of group rack-a)", error.Message);
        Assert.Equal("192.0.2.1", (await _inventory.Groups.FindAsync("rack-a", default))!.Gateway);
        Assert.Equal("192.0.2.1", (await _inventory.Hosts.FindAsync("web01", default))!.Gateway);
    }

    [Fact]
    public async Task Host_UnknownGroup_IsRefusedAndSavesNothing_GroupWithHostsCannotGo()
    {
        InventoryException unknown = await Assert.ThrowsAsync<InventoryException>(() => _inventory.Hosts.CreateAsync(Member("web01", 1), default));
        Assert.Equal(InventoryErrorKind.Invalid, unknown.Kind);
        Assert.StartsWith("no group named 'rack-a'", Assert.Single(unknown.Errors, e => e.Field == "group").Message, StringComparison.Ordinal);
        Assert.Null(await _inventory.Hosts.FindAsync("web01", default));

        HostGroup rack = await _inventory.Groups.CreateAsync(Rack, default);
        InventoryException taken = await Assert.ThrowsAsync<InventoryException>(() => _inventory.Groups.CreateAsync(Rack with { Name = "rack-a" }, default));
        Assert.Equal(InventoryErrorKind.Conflict, taken.Kind);
        HostRecord web01 = await _inventory.Hosts.CreateAsync(Member("web01", 1), default);
        InventoryException inUse = await Assert.ThrowsAsync<InventoryException>(() => _inventory.Groups.DeleteAsync(rack.Id, default));
        Assert.Equal("group rack-a has 1 host(s): move them to another group, or to none, first", Assert.Single(inUse.Errors).Message);

        // Out of the group: only what the host set itself is left (as when it moves to another group); then the group can go.
        HostRecord moved = await _inventory.Hosts.UpdateAsync(web01.Id, new HostFields { Group = "" }, partial: true, default);
        Assert.Equal(((string?)null, (string?)null, (string?)null, HostValidator.DefaultProfile), (moved.GroupName, moved.Gateway, moved.Domain, moved.Profile));
        await _inventory.Groups.DeleteAsync(rack.Id, default);
        Assert.Empty(await _inventory.Groups.ListAsync(default));
    }

    [Fact]
    public async Task Group_BadFields_NamedEachAndNothingSaved()
    {
        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() => _inventory.Groups.CreateAsync(
            new() { Name = "rack a", Gateway = "192.0.2.300", Profile = "windows", Settings = new() { Disk = "sda" } }, default));
        Assert.Equal(["gateway", "name", "profile", "settings.disk"], refused.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await _inventory.Groups.ListAsync(default));
    }
}
