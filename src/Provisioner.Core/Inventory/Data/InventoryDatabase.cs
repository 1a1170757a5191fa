using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// The one place the database provider is chosen: PostgreSQL when a connection string is given,
/// otherwise a SQLite file in the data dir. Hands out pooled contexts of the right subclass.
/// </summary>
public sealed class InventoryDatabase
{
    public const string SqliteFileName = "provisioner.db";

    private readonly Func<InventoryDbContext> _create;

    private InventoryDatabase(string description, Func<InventoryDbContext> create, string? sqlitePath = null)
    {
        Description = description;
        _create = create;
        SqlitePath = sqlitePath;
    }

    /// <summary>The SQLite file's full path; null on PostgreSQL.</summary>
    public string? SqlitePath { get; }

    /// <summary>What the operator sees in the log: the provider and where, never a password.</summary>
    public string Description { get; }

    public static InventoryDatabase Open(string? postgresConnectionString, string dataDir) =>
        string.IsNullOrWhiteSpace(postgresConnectionString)
            ? Sqlite(Path.Combine(dataDir, SqliteFileName))
            : Postgres(postgresConnectionString);

    public static InventoryDatabase Sqlite(string path)
    {
        string connection = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = true, DefaultTimeout = 30 }.ToString();
        var options = new DbContextOptionsBuilder<SqliteInventoryDbContext>()
            .UseSqlite(connection, o => o.MigrationsAssembly(typeof(InventoryDatabase).Assembly.FullName))
            .Options;
        var pool = new PooledDbContextFactory<SqliteInventoryDbContext>(options);
        return new InventoryDatabase($"SQLite {Path.GetFullPath(path)}", pool.CreateDbContext, Path.GetFullPath(path));
    }

    public static InventoryDatabase Postgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"--database is not a PostgreSQL connection string like 'Host=db;Database=provisioner;Username=provisioner': {ex.Message}", ex);
        }
        var options = new DbContextOptionsBuilder<NpgsqlInventoryDbContext>().UseNpgsql(connectionString).Options;
        var pool = new PooledDbContextFactory<NpgsqlInventoryDbContext>(options);
        return new InventoryDatabase($"PostgreSQL {parsed.Host}:{parsed.Port}/{parsed.Database}", pool.CreateDbContext);
    }

    public InventoryDbContext CreateContext() => _create();

    /// <summary>Brings the schema up to the model's latest migration; SQLite switches to WAL for concurrent readers.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = CreateContext();
        if (db.Database.IsSqlite())
        {
            string? dir = Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }
}
