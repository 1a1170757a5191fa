using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Audit;

namespace Provisioner.Core.Inventory.Data;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit");
        builder.Property(e => e.Actor).HasMaxLength(Actor.MaxNameLength);
        builder.Property(e => e.Via).HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.Property(e => e.Target).HasMaxLength(AuditEntry.MaxTargetLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.MaxDetailLength);
        builder.Ignore(e => e.ActorDisplay);
        builder.HasIndex(e => new { e.HostId, e.Id });
    }
}
