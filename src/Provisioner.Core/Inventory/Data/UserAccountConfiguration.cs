using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Users;

namespace Provisioner.Core.Inventory.Data;

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.Name).HasMaxLength(UserService.MaxNameLength);
        builder.Property(u => u.PasswordHash).HasMaxLength(256);
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(u => u.Name).IsUnique();
    }
}
