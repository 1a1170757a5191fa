using Microsoft.Data.Sqlite;

namespace Provisioner.Core.Inventory.Data;

/// <summary>What a backup or restore copied, for the operator's one line.</summary>
public sealed record BackupSummary(string File, long Bytes, int Hosts, int Events);

/// <summary>
/// Backup and restore of the SQLite inventory with SQLite's online backup API: a backup is a
/// consistent snapshot taken while the appliance keeps serving and writing (WAL readers never
/// block it). A restore replaces the database only with a file that passes its checks, and keeps
/// the database it replaces beside it. PostgreSQL inventories are pg_dump's to back up.
/// </summary>
public static class InventoryBackup
{
    /// <summary>What the operator is told for a PostgreSQL inventory.</summary>
    public const string PostgresAdvice =
        "this inventory is on PostgreSQL, which backs up with its own tools: " +
        "pg_dump --format=custom --file=provisioner.dump 'host=... dbname=provisioner user=...', " +
        "and restores (appliances stopped) with pg_restore --clean --if-exists --dbname='host=... dbname=provisioner user=...' provisioner.dump";

    /// <summary>Copies the live database into <paramref name="file"/> (written aside, then renamed: never a half file).</summary>
    public static BackupSummary Backup(string databasePath, string file)
    {
        string target = Path.GetFullPath(file);
        if (target == Path.GetFullPath(databasePath))
        {
            throw new InvalidDataException($"backup file {target} is the inventory itself: choose another path");
        }
        string partial = target + ".partial";
        File.Delete(partial);
        try
        {
            // A backup holds the same password hashes as the inventory: 0600 like it.
            OwnerOnlyFile.Ensure(partial);
            using (SqliteConnection source = Open(databasePath, SqliteOpenMode.ReadOnly))
            using (SqliteConnection copy = Open(partial, SqliteOpenMode.ReadWriteCreate))
            {
                source.BackupDatabase(copy);
                // The copy stands alone: one file, no write-ahead log beside it.
                Execute(copy, "PRAGMA journal_mode=DELETE;");
            }
            BackupSummary summary = Check(partial);
            File.Move(partial, target, overwrite: true);
            return summary with { File = target };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Puts <paramref name="file"/> in place of the database at <paramref name="databasePath"/> after
    /// checking it; the replaced database (if any) is kept as <c>provisioner.db.before-restore-TIME</c>.
    /// The appliance must be stopped: see <see cref="DataDirLock"/>.
    /// </summary>
    public static (BackupSummary Restored, string? Kept) Restore(string file, string databasePath, DateTimeOffset now)
    {
        string source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"backup file {source} does not exist", source);
        }
        string live = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(live)!);
        string incoming = live + ".restoring";
        File.Delete(incoming);
        try
        {
            OwnerOnlyFile.Ensure(incoming);
            // Through the backup API too, so a backup taken by other means (a copy of a WAL database) is read whole.
            try
            {
                using SqliteConnection from = Open(source, SqliteOpenMode.ReadOnly);
                using SqliteConnection to = Open(incoming, SqliteOpenMode.ReadWriteCreate);
                from.BackupDatabase(to);
                Execute(to, "PRAGMA journal_mode=DELETE;");
            }
            catch (SqliteException ex)
            {
                throw new InvalidDataException($"{source} is not a SQLite database: {ex.Message}", ex);
            }
            BackupSummary summary = Check(incoming) with { File = source };
            string? kept = null;
            if (File.Exists(live))
            {
                // Folded into one file first, so the kept copy holds every committed change.
                using (SqliteConnection old = Open(live, SqliteOpenMode.ReadWrite))
                {
                    Execute(old, "PRAGMA wal_checkpoint(TRUNCATE);");
                }
                SqliteConnection.ClearAllPools();
                kept = $"{live}.before-restore-{now.UtcDateTime:yyyyMMddTHHmmssZ}";
                File.Move(live, kept);
            }
            File.Delete(live + "-wal");
            File.Delete(live + "-shm");
            File.Move(incoming, live);
            return (summary, kept);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(incoming);
        }
    }

    /// <summary>Refuses a file that is not a whole, consistent inventory; counts what it holds.</summary>
    private static BackupSummary Check(string path)
    {
        using SqliteConnection db = Open(path, SqliteOpenMode.ReadOnly);
        string integrity;
        try
        {
            integrity = Scalar(db, "PRAGMA integrity_check;")?.ToString() ?? "no answer";
        }
        catch (SqliteException ex)
        {
            throw new InvalidDataException($"{path} is not a SQLite database: {ex.Message}", ex);
        }
        if (integrity != "ok")
        {
            throw new InvalidDataException($"{path} fails SQLite's integrity check: {integrity}");
        }
        if (Convert.ToInt64(Scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__EFMigrationsHistory', 'hosts', 'host_events');"), System.Globalization.CultureInfo.InvariantCulture) != 3)
        {
            throw new InvalidDataException($"{path} is a SQLite database but not a Provisioner inventory (no hosts, host_events or migrations table)");
        }
        int hosts = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM hosts;"), System.Globalization.CultureInfo.InvariantCulture);
        int events = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM host_events;"), System.Globalization.CultureInfo.InvariantCulture);
        return new BackupSummary(path, new FileInfo(path).Length, hosts, events);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        if (mode != SqliteOpenMode.ReadWriteCreate && !File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist", path);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using SqliteCommand command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using SqliteCommand command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
