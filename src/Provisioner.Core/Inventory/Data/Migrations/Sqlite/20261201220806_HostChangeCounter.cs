using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <summary>
    /// <c>host_changes</c>: one row holding the hosts table's row count and sum of revisions, kept by
    /// triggers in the writing transaction itself. <see cref="HostDirectory"/> compares it every second to
    /// notice changes made by other processes (the CLI); reading one row replaces an aggregate over every
    /// host, which at 100,000 hosts took tens of milliseconds a second of the one core (bench/scale.sh).
    /// </summary>
    public partial class HostChangeCounter : Migration
    {
        /// <summary>The triggers that keep the counter; a later migration that rebuilds <c>hosts</c> (SQLite's way of adding a foreign key) drops them and must create them again.</summary>
        internal const string Triggers = """
                CREATE TRIGGER hosts_counted_insert AFTER INSERT ON hosts BEGIN
                    UPDATE host_changes SET count = count + 1, revisions = revisions + NEW."Revision" WHERE id = 1;
                END;
                CREATE TRIGGER hosts_counted_update AFTER UPDATE OF "Revision" ON hosts BEGIN
                    UPDATE host_changes SET revisions = revisions - OLD."Revision" + NEW."Revision" WHERE id = 1;
                END;
                CREATE TRIGGER hosts_counted_delete AFTER DELETE ON hosts BEGIN
                    UPDATE host_changes SET count = count - 1, revisions = revisions - OLD."Revision" WHERE id = 1;
                END;
                """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE host_changes (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL, revisions INTEGER NOT NULL);
                INSERT INTO host_changes (id, count, revisions) SELECT 1, COUNT(*), COALESCE(SUM("Revision"), 0) FROM hosts;
                """ + Triggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS hosts_counted_insert;
                DROP TRIGGER IF EXISTS hosts_counted_update;
                DROP TRIGGER IF EXISTS hosts_counted_delete;
                DROP TABLE IF EXISTS host_changes;
                """);
        }
    }
}
