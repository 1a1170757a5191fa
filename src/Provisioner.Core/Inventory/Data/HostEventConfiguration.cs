using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Inventory.Data;

internal sealed class HostEventConfiguration : IEntityTypeConfiguration<HostEvent>
{
    public void Configure(EntityTypeBuilder<HostEvent> builder)
    {
        builder.ToTable("host_events");
        builder.Property(e => e.Source).HasMaxLength(16);
        builder.Property(e => e.Message).HasMaxLength(1024);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Appliance).HasMaxLength(HostNames.MaxLabelLength);
        builder.Property(e => e.Actor).HasMaxLength(Audit.Actor.MaxNameLength + 8);
        builder.HasIndex(e => new { e.HostId, e.Id });
    }
}
