using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Dhcp;

namespace Provisioner.Core.Inventory.Data;

internal sealed class DhcpLeaseConfiguration : IEntityTypeConfiguration<DhcpLease>
{
    public void Configure(EntityTypeBuilder<DhcpLease> builder)
    {
        builder.ToTable("dhcp_leases");
        builder.HasKey(l => l.Address);
        builder.Property(l => l.Address).HasMaxLength(15);
        builder.Property(l => l.Mac).HasMaxLength(17);
        builder.Property(l => l.Hostname).HasMaxLength(255);
        builder.Property(l => l.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Appliance).HasMaxLength(253);
        builder.Property(l => l.Reason).HasMaxLength(512);
        builder.HasIndex(l => l.Mac);
    }
}
