using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Inventory.Data;

internal sealed class HostGroupConfiguration : IEntityTypeConfiguration<HostGroup>
{
    public void Configure(EntityTypeBuilder<HostGroup> builder)
    {
        builder.ToTable("host_groups");
        builder.Property(g => g.Name).HasMaxLength(HostNames.MaxLabelLength);
        builder.Property(g => g.Description).HasMaxLength(HostGroupValidator.MaxDescriptionLength);
        builder.Property(g => g.Domain).HasMaxLength(HostNames.MaxNameLength);
        builder.Property(g => g.Gateway).HasMaxLength(15);
        builder.Property(g => g.Profile).HasMaxLength(64);
        builder.Property(g => g.Console).HasMaxLength(64);
        builder.ComplexProperty(g => g.Settings, InstallSettingsColumns.Configure);
        builder.HasIndex(g => g.Name).IsUnique();
    }
}
