using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <summary>
    /// <see cref="HostGroups"/> added a foreign key to <c>hosts</c>, which SQLite does by rebuilding the
    /// table, after the migration's other steps; that drops the change counter's triggers
    /// (<see cref="HostChangeCounter"/>). They come back here, in the next migration.
    /// </summary>
    public partial class HostChangeTriggersRestored : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(HostChangeCounter.Triggers.Replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", System.StringComparison.Ordinal));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
