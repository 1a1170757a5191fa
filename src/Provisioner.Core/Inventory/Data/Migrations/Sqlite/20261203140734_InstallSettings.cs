using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstallSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Settings_Disk",
                table: "hosts",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_Keyboard",
                table: "hosts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_Locale",
                table: "hosts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_Mirror",
                table: "hosts",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_Packages",
                table: "hosts",
                type: "TEXT",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_Proxy",
                table: "hosts",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Settings_TimeZone",
                table: "hosts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Settings_WipeDisks",
                table: "hosts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Settings_Disk",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_Keyboard",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_Locale",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_Mirror",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_Packages",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_Proxy",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_TimeZone",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Settings_WipeDisks",
                table: "hosts");
        }
    }
}
