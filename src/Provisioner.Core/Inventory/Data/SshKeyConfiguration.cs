using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Access;

namespace Provisioner.Core.Inventory.Data;

internal sealed class SshKeyConfiguration : IEntityTypeConfiguration<SshKey>
{
    public void Configure(EntityTypeBuilder<SshKey> builder)
    {
        builder.ToTable("ssh_keys");
        builder.Property(k => k.Name).HasMaxLength(SshKeys.MaxNameLength);
        builder.Property(k => k.Line).HasMaxLength(SshPublicKey.MaxLineLength);
        builder.Property(k => k.Fingerprint).HasMaxLength(64);
        builder.HasIndex(k => k.Fingerprint).IsUnique();
    }
}
