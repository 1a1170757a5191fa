using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Core.Power;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Power;

/// <summary>BMCs from a CSV import (<c>bmc.*</c> columns): checked with each line, saved with the hosts, all or nothing.</summary>
public sealed class BmcImportTests
{
    private const string Header = "mac,hostname,ip,bmc.type,bmc.address,bmc.user,bmc.password,bmc.acceptAnyCertificate";

    private static (HostService Hosts, BmcService Bmcs) Services(TestInventory inventory)
    {
        var secrets = new BmcSecrets(DataProtectionProvider.Create(new DirectoryInfo(Path.Join(inventory.Dir, "keys"))));
        var hosts = new HostService(inventory.Database, new HostValidator(new FixedProfiles("debian12")), inventory.Lookup, inventory.Time, secrets);
        return (hosts, new BmcService(inventory.Database, secrets, inventory.Time));
    }

    private static ParsedImport Csv(params string[] lines) =>
        HostImportParser.Parse(string.Join('\n', [Header, .. lines]), HostImportFormat.Csv, new HostFields { Profile = "debian12" }, 24);

    [Fact]
    public async Task Import_AddsHostsWithTheirBmcs_PasswordEncrypted_LinesWithoutBmcHaveNone()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        (HostService hosts, BmcService bmcs) = Services(inventory);
        IReadOnlyList<HostRecord> added = await hosts.ImportAsync(Csv(
            "aa:bb:cc:dd:ee:01,web01,192.0.2.11,ipmi,192.0.2.201,admin,Import-Pw-1,",
            "aa:bb:cc:dd:ee:02,web02,192.0.2.12,redfish,https://192.0.2.202,root,Import-Pw-2,true",
            "aa:bb:cc:dd:ee:03,web03,192.0.2.13,,,,,"), default);

        Assert.Equal(3, added.Count);
        Assert.Equal(new BmcInfo("ipmi", "192.0.2.201", "admin", true, null, false, false, inventory.Time.GetUtcNow().UtcDateTime), await bmcs.GetAsync(added[0].Id, default));
        Assert.True((await bmcs.GetAsync(added[1].Id, default))!.AcceptAnyCertificate);
        Assert.Null(await bmcs.GetAsync(added[2].Id, default));
        Assert.Equal("Import-Pw-2", (await bmcs.ConnectionAsync(added[1].Id, default))!.Password);
        await using var db = inventory.Database.CreateContext();
        Assert.DoesNotContain(db.Bmcs.AsEnumerable(), b => b.PasswordProtected.Contains("Import-Pw", StringComparison.Ordinal));
        Assert.Equal(["import: ipmi 192.0.2.201 as admin, password set", "import: redfish https://192.0.2.202 as root, password set"],
            db.Audit.Where(a => a.Action == Provisioner.Core.Audit.AuditActions.BmcSet).OrderBy(a => a.Id).Select(a => a.Detail!).ToList());
    }

    [Fact]
    public async Task OneBadBmc_SavesNoHostAndNoBmc_TheLineSaysWhy()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        (HostService hosts, _) = Services(inventory);
        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() => hosts.ImportAsync(Csv(
            "aa:bb:cc:dd:ee:01,web01,192.0.2.11,ipmi,192.0.2.201,admin,pw,",
            "aa:bb:cc:dd:ee:02,web02,192.0.2.12,redfish,http://192.0.2.202,root,pw,",
            "aa:bb:cc:dd:ee:03,web03,192.0.2.13,ipmi,192.0.2.203,admin,,"), default));
        Assert.Equal(["line 3: bmc.address", "line 4: bmc.password"], refused.Errors.Select(e => e.Field));
        Assert.Contains("HTTPS only", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty(await hosts.ListAsync(new HostQuery(), default));
        await using var db = inventory.Database.CreateContext();
        Assert.Empty(db.Bmcs);
    }

    [Fact]
    public async Task Update_ChangesTheBmc_AnEmptyPasswordCellKeepsTheStoredOne()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        (HostService hosts, BmcService bmcs) = Services(inventory);
        HostRecord web01 = (await hosts.ImportAsync(Csv("aa:bb:cc:dd:ee:01,web01,192.0.2.11,ipmi,192.0.2.201,admin,First-Pw,"), default))[0];

        await hosts.ImportAsync(Csv("aa:bb:cc:dd:ee:01,web01,192.0.2.11,,192.0.2.211:6230,operator,,"), update: true, default);

        BmcConnection bmc = (await bmcs.ConnectionAsync(web01.Id, default))!;
        Assert.Equal((BmcType.Ipmi, "192.0.2.211:6230", "operator", "First-Pw"), (bmc.Type, bmc.Address, bmc.User, bmc.Password));
    }

    [Fact]
    public void UnknownColumn_NamesTheBmcColumnsAmongTheKnown() =>
        Assert.Contains("bmc.password", HostImportParser.Parse("mac,hostname,ip,bmc.secret\n", HostImportFormat.Csv, new HostFields(), 24).Errors.Single().Message, StringComparison.Ordinal);
}
