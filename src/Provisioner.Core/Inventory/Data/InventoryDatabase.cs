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

    private InventoryDatabase(string description, Func<InventoryDbContext> create, string? sqlitePath = null, string? postgres = null)
    {
        Description = description;
        _create = create;
        SqlitePath = sqlitePath;
        PostgresConnectionString = postgres;
    }

    /// <summary>The SQLite file's full path; null on PostgreSQL.</summary>
    public string? SqlitePath { get; }

    /// <summary>The PostgreSQL connection string; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

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
        return new InventoryDatabase($"PostgreSQL {parsed.Host}:{parsed.Port}/{parsed.Database}", pool.CreateDbContext, postgres: connectionString);
    }

    public InventoryDbContext CreateContext() => _create();

    /// <summary>
    /// Whether an inventory is there already: the SQLite file exists (a damaged or empty one is
    /// refused by <see cref="MigrateAsync"/> with its own reason), or the PostgreSQL
    /// database exists and has had a migration applied. <see cref="MigrateAsync"/> would create one otherwise.
    /// </summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        if (SqlitePath is not null)
        {
            return File.Exists(SqlitePath);
        }
        await using InventoryDbContext db = CreateContext();
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        return await creator.ExistsAsync(cancellationToken).ConfigureAwait(false)
            && (await db.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).Any();
    }

    /// <summary>pg_advisory_lock's key for migrations ("PROV"): appliances sharing a database migrate one at a time.</summary>
    private const long MigrationLock = 0x50524F56;

    /// <summary>Brings the schema up to the model's latest migration; SQLite switches to WAL for concurrent readers.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = CreateContext();
        if (db.Database.IsSqlite())
        {
            string file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            string? dir = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
            if (File.Exists(file))
            {
                await SqliteInventoryCheck.ThrowUnlessInventoryAsync(db, file, cancellationToken).ConfigureAwait(false);
            }
            // It holds password hashes and API token hashes: the owner's alone, from the first byte.
            OwnerOnlyFile.Ensure(file);
        }
        if (db.Database.IsNpgsql())
        {
            await MigratePostgresAsync(db, cancellationToken).ConfigureAwait(false);
            return;
        }
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Several appliances may start at once on one PostgreSQL database (measured: without this, the
    /// second fails with "column ... already exists"). The database is created by whichever gets
    /// there first; then each migrates under a session-level advisory lock, so the later ones find
    /// the schema current and do nothing. The lock goes with its (unpooled) connection, also on a crash.
    /// </summary>
    private static async Task MigratePostgresAsync(InventoryDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        for (int attempt = 1; !await creator.ExistsAsync(cancellationToken).ConfigureAwait(false); attempt++)
        {
            try
            {
                await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another appliance created it a moment ago.
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                // Its CREATE DATABASE is still copying the template: wait for it.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
        // Not pooled: a pooled connection would go back to the pool still holding the lock.
        await using var held = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        await held.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock})", held))
        {
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}
