using Microsoft.EntityFrameworkCore.Design;

namespace Provisioner.Core.Inventory.Data;

// Used by `dotnet ef migrations add` only (see src/Provisioner.Core/Inventory/Data/README.md).

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteInventoryDbContext>
{
    public SqliteInventoryDbContext CreateDbContext(string[] args) =>
        (SqliteInventoryDbContext)InventoryDatabase.Sqlite(Path.Combine(Path.GetTempPath(), "provisioner-design.db")).CreateContext();
}

internal sealed class NpgsqlDesignTimeFactory : IDesignTimeDbContextFactory<NpgsqlInventoryDbContext>
{
    public NpgsqlInventoryDbContext CreateDbContext(string[] args) =>
        (NpgsqlInventoryDbContext)InventoryDatabase.Postgres("Host=localhost;Database=provisioner_design").CreateContext();
}
