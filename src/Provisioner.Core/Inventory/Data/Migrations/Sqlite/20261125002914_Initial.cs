using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Provisioner.Core.Inventory.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Mac = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Ip = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    PrefixLength = table.Column<int>(type: "INTEGER", nullable: false),
                    Gateway = table.Column<string>(type: "TEXT", maxLength: 15, nullable: true),
                    Dns = table.Column<string>(type: "TEXT", nullable: false),
                    Profile = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Console = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    KernelArgs = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StateReason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    BuildToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastProgressAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostId = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_host_events_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_Hash",
                table: "api_tokens",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_host_events_HostId_Id",
                table: "host_events",
                columns: new[] { "HostId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_hosts_BuildToken",
                table: "hosts",
                column: "BuildToken",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Hostname",
                table: "hosts",
                column: "Hostname",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Ip",
                table: "hosts",
                column: "Ip",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Mac",
                table: "hosts",
                column: "Mac",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_State",
                table: "hosts",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "host_events");

            migrationBuilder.DropTable(
                name: "hosts");
        }
    }
}
