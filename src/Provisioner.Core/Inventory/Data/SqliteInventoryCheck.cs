using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// An existing SQLite file is checked before anything is written to it: a 0-byte file would silently
/// become a new, empty inventory with a new admin; a file of another program would get our tables
/// added; a damaged one would start and then answer 500 to the host list. Each is refused with one
/// line saying what to do.
/// </summary>
internal static class SqliteInventoryCheck
{
    /// <summary>The first 16 bytes of every SQLite 3 database file (https://www.sqlite.org/fileformat.html §1.3.1).</summary>
    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    private const string Advice = "restore a backup (provisioner restore FILE) or move the file away to start an empty inventory";

    public static async Task ThrowUnlessInventoryAsync(InventoryDbContext db, string file, CancellationToken cancellationToken)
    {
        byte[] head = new byte[Header.Length];
        int read;
        await using (FileStream stream = File.OpenRead(file))
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        if (read == 0)
        {
            throw new InvalidDataException($"{file} is empty (0 bytes), not an inventory: {Advice}");
        }
        if (read < Header.Length || !head.AsSpan().SequenceEqual(Header))
        {
            throw new InvalidDataException($"{file} is not a SQLite database: {Advice}");
        }
        DbConnection connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // quick_check reads every page (not the index-to-table cross-checks of integrity_check): "ok" or what is wrong.
            string result = await ScalarAsync(connection, "PRAGMA quick_check(1);", cancellationToken).ConfigureAwait(false);
            if (result != "ok")
            {
                throw new InvalidDataException($"{file} is damaged (SQLite quick_check: {result}): {Advice}");
            }
            long tables = long.Parse(await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            long ours = long.Parse(await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory';", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (tables > 0 && ours == 0)
            {
                throw new InvalidDataException($"{file} is another program's SQLite database ({tables} tables, none of ours): choose another --data-dir, or {Advice}");
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new InvalidDataException($"{file} is damaged ({ex.Message}): {Advice}", ex);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static async Task<string> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
