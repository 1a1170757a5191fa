using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Power;

namespace Provisioner.Core.Inventory.Data;

internal sealed class HostBmcConfiguration : IEntityTypeConfiguration<HostBmc>
{
    public void Configure(EntityTypeBuilder<HostBmc> builder)
    {
        builder.ToTable("host_bmcs");
        builder.HasKey(b => b.HostId);
        builder.HasOne<HostRecord>().WithOne().HasForeignKey<HostBmc>(b => b.HostId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(b => b.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Address).HasMaxLength(BmcValidator.MaxAddressLength + 8);
        builder.Property(b => b.User).HasMaxLength(BmcValidator.MaxUserLength);
        // Data Protection's output for a 128-character password is a few hundred characters; room to spare.
        builder.Property(b => b.PasswordProtected).HasMaxLength(2048);
        builder.Property(b => b.CertificateSha256).HasMaxLength(64);
    }
}
