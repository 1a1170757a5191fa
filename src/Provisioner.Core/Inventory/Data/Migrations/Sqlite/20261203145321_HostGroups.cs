using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HostGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "GroupId",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GroupName",
                table: "hosts",
                type: "TEXT",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Overrides",
                table: "hosts",
                type: "TEXT",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "host_groups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Gateway = table.Column<string>(type: "TEXT", maxLength: 15, nullable: true),
                    Dns = table.Column<string>(type: "TEXT", nullable: false),
                    Profile = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Console = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Settings_Disk = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Settings_Keyboard = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Settings_Locale = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Settings_Mirror = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Settings_Packages = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    Settings_Proxy = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Settings_TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Settings_WipeDisks = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_groups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosts_GroupId",
                table: "hosts",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_host_groups_Name",
                table: "host_groups",
                column: "Name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_hosts_host_groups_GroupId",
                table: "hosts",
                column: "GroupId",
                principalTable: "host_groups",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_hosts_host_groups_GroupId",
                table: "hosts");

            migrationBuilder.DropTable(
                name: "host_groups");

            migrationBuilder.DropIndex(
                name: "IX_hosts_GroupId",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "GroupName",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Overrides",
                table: "hosts");
        }
    }
}
