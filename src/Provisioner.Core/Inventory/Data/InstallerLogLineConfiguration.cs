using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Inventory.Data;

internal sealed class InstallerLogLineConfiguration : IEntityTypeConfiguration<InstallerLogLine>
{
    public void Configure(EntityTypeBuilder<InstallerLogLine> builder)
    {
        builder.ToTable("installer_log");
        builder.Property(l => l.Text).HasMaxLength(2048);
        builder.HasIndex(l => new { l.HostId, l.Id });
        builder.HasOne<HostRecord>().WithMany().HasForeignKey(l => l.HostId).OnDelete(DeleteBehavior.Cascade);
    }
}
