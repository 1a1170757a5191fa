using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DhcpLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dhcp_leases",
                columns: table => new
                {
                    Address = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    Mac = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Appliance = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dhcp_leases", x => x.Address);
                });

            migrationBuilder.CreateIndex(
                name: "IX_dhcp_leases_Mac",
                table: "dhcp_leases",
                column: "Mac");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dhcp_leases");
        }
    }
}
