using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory.Data;

/// <summary>The inventory and its backups hold password hashes: created 0644 once, now the owner's alone.</summary>
public sealed class OwnerOnlyFileTests
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task NewInventory_DatabaseAndItsWalAndShm_AreOwnerOnly()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string db = Path.Join(inventory.Dir, InventoryDatabase.SqliteFileName);

        Assert.Equal(OwnerOnlyFile.Mode, File.GetUnixFileMode(db));
        foreach (string beside in new[] { db + "-wal", db + "-shm" }.Where(File.Exists))
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(beside) & GroupOrOther);
        }
    }

    [Fact]
    public async Task ExistingWorldReadableInventory_TightenedAtStart()
    {
        string dir = Directory.CreateTempSubdirectory("provisioner-mode-").FullName;
        try
        {
            string db = Path.Join(dir, InventoryDatabase.SqliteFileName);
            await InventoryDatabase.Sqlite(db).MigrateAsync(default);
            File.SetUnixFileMode(db, OwnerOnlyFile.Mode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            await InventoryDatabase.Sqlite(db).MigrateAsync(default);

            Assert.Equal(OwnerOnlyFile.Mode, File.GetUnixFileMode(db));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_IsOwnerOnly()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default);
        string file = Path.Join(inventory.Dir, "backup.db");

        InventoryBackup.Backup(Path.Join(inventory.Dir, InventoryDatabase.SqliteFileName), file);

        Assert.Equal(OwnerOnlyFile.Mode, File.GetUnixFileMode(file));
    }
}
