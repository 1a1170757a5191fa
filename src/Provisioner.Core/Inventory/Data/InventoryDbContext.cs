using Microsoft.EntityFrameworkCore;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// The inventory: hosts, their timelines and installer logs, API tokens, UI users, site SSH keys, the audit trail, hosts' BMCs, DHCP leases and (shared PostgreSQL) the Data Protection keys. One subclass per database provider holds
/// that provider's migrations (EF migrations are provider-specific); the model is the same.
/// </summary>
public abstract class InventoryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<HostGroup> Groups => Set<HostGroup>();

    public DbSet<HostEvent> Events => Set<HostEvent>();

    public DbSet<InstallerLogLine> InstallerLog => Set<InstallerLogLine>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Users.UserAccount> Users => Set<Users.UserAccount>();

    public DbSet<Access.SshKey> SshKeys => Set<Access.SshKey>();

    public DbSet<Audit.AuditEntry> Audit => Set<Audit.AuditEntry>();

    public DbSet<Power.HostBmc> Bmcs => Set<Power.HostBmc>();

    public DbSet<Dhcp.DhcpLease> DhcpLeases => Set<Dhcp.DhcpLease>();

    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InventoryDbContext).Assembly);
}

/// <summary>The embedded default: one SQLite file in the data dir.</summary>
public sealed class SqliteInventoryDbContext(DbContextOptions<SqliteInventoryDbContext> options) : InventoryDbContext(options);

/// <summary>PostgreSQL, for sites where several appliances share one inventory.</summary>
public sealed class NpgsqlInventoryDbContext(DbContextOptions<NpgsqlInventoryDbContext> options) : InventoryDbContext(options);
