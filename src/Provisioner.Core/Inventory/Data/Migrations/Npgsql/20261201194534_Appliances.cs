using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Npgsql
{
    /// <inheritdoc />
    public partial class Appliances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Appliance",
                table: "hosts",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Appliance",
                table: "host_events",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            // Not schema but delivery: every committed change to a host, by any appliance or CLI, is
            // notified to the appliances LISTENing (HostChangeFeed), which reload that host.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION provisioner_host_changed() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM pg_notify('provisioner_host_changed', OLD."Id"::text);
                    ELSE
                        PERFORM pg_notify('provisioner_host_changed', NEW."Id"::text);
                    END IF;
                    RETURN NULL;
                END
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER hosts_changed AFTER INSERT OR UPDATE OR DELETE ON hosts
                    FOR EACH ROW EXECUTE FUNCTION provisioner_host_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS hosts_changed ON hosts; DROP FUNCTION IF EXISTS provisioner_host_changed();");

            migrationBuilder.DropColumn(
                name: "Appliance",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Appliance",
                table: "host_events");
        }
    }
}
