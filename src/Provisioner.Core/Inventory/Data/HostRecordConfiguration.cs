using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Inventory.Data;

internal sealed class HostRecordConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> builder)
    {
        builder.ToTable("hosts");
        builder.Property(h => h.Mac).HasMaxLength(17);
        builder.Property(h => h.Hostname).HasMaxLength(HostNames.MaxLabelLength);
        builder.Property(h => h.Domain).HasMaxLength(HostNames.MaxNameLength);
        builder.Property(h => h.Ip).HasMaxLength(15);
        builder.Property(h => h.Gateway).HasMaxLength(15);
        builder.Property(h => h.Profile).HasMaxLength(64);
        builder.Property(h => h.Console).HasMaxLength(64);
        builder.Property(h => h.KernelArgs).HasMaxLength(HostValidator.MaxKernelArgsLength);
        builder.Property(h => h.Notes).HasMaxLength(HostValidator.MaxNotesLength);
        builder.Property(h => h.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(h => h.StateReason).HasMaxLength(1024);
        builder.Property(h => h.BuildToken).HasMaxLength(64);
        builder.Property(h => h.Step).HasMaxLength(128);
        builder.Property(h => h.Appliance).HasMaxLength(HostNames.MaxLabelLength);
        builder.ComplexProperty(h => h.Settings, InstallSettingsColumns.Configure);
        builder.Property(h => h.GroupName).HasMaxLength(HostNames.MaxLabelLength);
        builder.Property(h => h.Overrides).HasMaxLength(16384);
        // A group with hosts cannot go (the service says why first; this holds when two appliances race).
        builder.HasOne<HostGroup>().WithMany().HasForeignKey(h => h.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(h => h.Fqdn);
        // The database enforces uniqueness too, so two appliances sharing PostgreSQL cannot race past the service's checks.
        builder.HasIndex(h => h.Mac).IsUnique();
        builder.HasIndex(h => h.Hostname).IsUnique();
        builder.HasIndex(h => h.Ip).IsUnique();
        builder.HasIndex(h => h.BuildToken).IsUnique();
        builder.HasIndex(h => h.State);
        builder.HasMany(h => h.Events).WithOne().HasForeignKey(e => e.HostId).OnDelete(DeleteBehavior.Cascade);
    }
}
