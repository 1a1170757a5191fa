using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Power;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Power;

/// <summary>BMCs in a real SQLite inventory with real Data Protection keys in a data dir.</summary>
public sealed class BmcServiceTests
{
    private const string Password = "Very-Secret-Pw-9";

    private static BmcSecrets Secrets(string dir) => new(DataProtectionProvider.Create(new DirectoryInfo(Path.Join(dir, "keys"))));

    [Fact]
    public async Task Password_IsStoredEncrypted_NeverShown_NeverAudited_AndDecryptsWithTheKeys()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var bmcs = new BmcService(inventory.Database, Secrets(inventory.Dir), inventory.Time);
        int host = (await inventory.Hosts.CreateAsync(TestInventory.Sample(), default)).Id;

        BmcInfo info = await bmcs.SetAsync(host, new BmcSettings("ipmi", "192.0.2.21", "admin", Password), default);
        Assert.Equal(new BmcInfo("ipmi", "192.0.2.21", "admin", true, null, false, false, info.UpdatedAt), info);
        Assert.DoesNotContain(Password, System.Text.Json.JsonSerializer.Serialize(info), StringComparison.Ordinal);
        await using (var db = inventory.Database.CreateContext())
        {
            HostBmc row = await db.Bmcs.SingleAsync();
            Assert.DoesNotContain(Password, row.PasswordProtected, StringComparison.Ordinal);
            Assert.Equal("web01|ipmi 192.0.2.21 as admin, password set", string.Join(";", db.Audit.Where(a => a.Action == "bmc.set").Select(a => a.Target + "|" + a.Detail)));
        }
        Assert.DoesNotContain(Password, System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Join(inventory.Dir, "provisioner.db"))), StringComparison.Ordinal);
        Assert.Equal(Password, (await bmcs.ConnectionAsync(host, default))!.Password);
        // The connection a driver gets prints without it, too.
        Assert.DoesNotContain(Password, (await bmcs.ConnectionAsync(host, default))!.ToString(), StringComparison.Ordinal);

        // Another appliance process on the same data dir (the CLI, a restart) reads it with the same keys.
        var again = new BmcService(inventory.Database, Secrets(inventory.Dir), inventory.Time);
        Assert.Equal(Password, (await again.ConnectionAsync(host, default))!.Password);

        // Keys lost (a data dir restored without keys/): a clear error, not a crash.
        var elsewhere = new BmcService(inventory.Database, Secrets(Directory.CreateTempSubdirectory("other-keys-").FullName), inventory.Time);
        PowerException lost = await Assert.ThrowsAsync<PowerException>(() => elsewhere.ConnectionAsync(host, default));
        Assert.Contains("cannot be decrypted", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_SaveNothing_RemovingTheHostRemovesItsBmc()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var bmcs = new BmcService(inventory.Database, Secrets(inventory.Dir), inventory.Time);
        int host = (await inventory.Hosts.CreateAsync(TestInventory.Sample(), default)).Id;

        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() => bmcs.SetAsync(host, new BmcSettings("ipmi", "192.0.2.21:70000", "admin", "pw"), default));
        Assert.Equal(InventoryErrorKind.Invalid, refused.Kind);
        Assert.Null(await bmcs.GetAsync(host, default));
        Assert.Equal(InventoryErrorKind.NotFound, (await Assert.ThrowsAsync<InventoryException>(() => bmcs.SetAsync(999, new BmcSettings("ipmi", "bmc", "a", "b"), default))).Kind);

        await bmcs.SetAsync(host, new BmcSettings("redfish", "https://192.0.2.21", "root", "pw", AcceptAnyCertificate: true), default);
        await inventory.Hosts.DeleteAsync(host, default);
        await using var db = inventory.Database.CreateContext();
        Assert.Empty(db.Bmcs);
    }
}
