using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Tests.Support;
using Provisioner.Core.Users;

namespace Provisioner.Core.Tests.Users;

public sealed class UserServiceTests
{
    [Fact]
    public async Task EnsureAdmin_FirstStart_WritesPasswordFile0600Once()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        UserService users = Users(inventory);

        string path = (await users.EnsureAdminAsync(default))!;
        string password = (await File.ReadAllTextAsync(path)).Trim();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(20, password.Length);
        Assert.Equal(UserRole.Admin, (await users.CheckPasswordAsync("admin", password, default))!.Role);

        Assert.Null(await users.EnsureAdminAsync(default));
        Assert.Equal(password, (await File.ReadAllTextAsync(path)).Trim());
    }

    [Fact]
    public async Task ChangePassword_RightCurrent_NewWorksOldDoesNot_AndFileRemoved()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        UserService users = Users(inventory);
        string path = (await users.EnsureAdminAsync(default))!;
        string password = (await File.ReadAllTextAsync(path)).Trim();

        var wrong = await Assert.ThrowsAsync<InventoryException>(() => users.ChangePasswordAsync("admin", "not it at all", "new password 1", default));
        Assert.Equal("current", wrong.Errors.Single().Field);
        var tooShort = await Assert.ThrowsAsync<InventoryException>(() => users.ChangePasswordAsync("admin", password, "short", default));
        Assert.Equal("password", tooShort.Errors.Single().Field);
        Assert.True(File.Exists(path));

        await users.ChangePasswordAsync("Admin", password, "new password 1", default);
        Assert.NotNull(await users.CheckPasswordAsync("admin", "new password 1", default));
        Assert.Null(await users.CheckPasswordAsync("admin", password, default));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Add_BadNameOrDuplicate_RefusedNamingTheField()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        UserService users = Users(inventory);
        await users.AddAsync("Ops.Viewer", "long enough pw", UserRole.Viewer, default);

        Assert.Equal(UserRole.Viewer, (await users.CheckPasswordAsync("ops.viewer", "long enough pw", default))!.Role);
        var bad = await Assert.ThrowsAsync<InventoryException>(() => users.AddAsync("<script>", "x", UserRole.Admin, default));
        Assert.Equal(["name", "password"], bad.Errors.Select(e => e.Field));
        var duplicate = await Assert.ThrowsAsync<InventoryException>(() => users.AddAsync("ops.viewer", "long enough pw", UserRole.Admin, default));
        Assert.Equal(InventoryErrorKind.Conflict, duplicate.Kind);
        Assert.Null(await users.CheckPasswordAsync("nobody", "long enough pw", default));
        Assert.Null(await users.CheckPasswordAsync("ops.viewer", new string('x', 10_000), default));
    }

    private static UserService Users(TestInventory inventory) =>
        new(inventory.Database, Options.Create(new StorageOptions { DataDir = inventory.Dir }), inventory.Time);
}
