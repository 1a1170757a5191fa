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

    /// <summary>A session outlived its user's password change, and nobody could be removed: each change now makes older sessions stale.</summary>
    [Fact]
    public async Task SessionStamp_PasswordRoleOrRemoval_MakesOlderSessionsStale()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        UserService users = Users(inventory);
        await users.AddAsync("root.admin", "long enough pw", UserRole.Admin, default);
        UserAccount ops = await users.AddAsync("ops", "long enough pw", UserRole.Admin, default);
        string opened = SessionStamp.Of((await users.FindAsync("ops", default))!);
        Assert.True(await users.SessionIsCurrentAsync("ops", opened, default));

        await users.SetPasswordAsync("ops", "long enough pw", default); // the same password: a new salt, a new hash
        Assert.False(await users.SessionIsCurrentAsync("ops", opened, default));

        string afterPassword = SessionStamp.Of((await users.FindAsync("ops", default))!);
        await users.SetRoleAsync("ops", UserRole.Viewer, default);
        Assert.False(await users.SessionIsCurrentAsync("ops", afterPassword, default));
        Assert.Equal(UserRole.Viewer, (await users.FindAsync("ops", default))!.Role);

        string afterRole = SessionStamp.Of((await users.FindAsync("ops", default))!);
        await users.RemoveAsync("ops", default);
        Assert.False(await users.SessionIsCurrentAsync("ops", afterRole, default));
        Assert.Null(await users.FindAsync("ops", default));
        Assert.NotEqual(0, ops.Id);
    }

    [Fact]
    public async Task LastAdmin_CannotBeRemovedOrMadeAViewer()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        UserService users = Users(inventory);
        await users.AddAsync("only.admin", "long enough pw", UserRole.Admin, default);
        await users.AddAsync("viewer", "long enough pw", UserRole.Viewer, default);

        var removed = await Assert.ThrowsAsync<InventoryException>(() => users.RemoveAsync("only.admin", default));
        var demoted = await Assert.ThrowsAsync<InventoryException>(() => users.SetRoleAsync("only.admin", UserRole.Viewer, default));
        var missing = await Assert.ThrowsAsync<InventoryException>(() => users.RemoveAsync("nobody", default));

        Assert.Contains("last admin", removed.Message + string.Join(' ', removed.Errors), StringComparison.Ordinal);
        Assert.Equal(InventoryErrorKind.Conflict, demoted.Kind);
        Assert.Equal(InventoryErrorKind.NotFound, missing.Kind);
        await users.RemoveAsync("viewer", default);
    }

    private static UserService Users(TestInventory inventory) =>
        new(inventory.Database, Options.Create(new StorageOptions { DataDir = inventory.Dir }), inventory.Time);
}
