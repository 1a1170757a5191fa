using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Inventory.Data;

/// <summary>The columns of <see cref="InstallSettings"/> (<c>Settings_Mirror</c>, …) in the table of whatever carries them.</summary>
internal static class InstallSettingsColumns
{
    public static void Configure(ComplexPropertyBuilder<InstallSettings> settings)
    {
        settings.Property(s => s.Mirror).HasMaxLength(InstallSettingsCheck.MaxUrlLength);
        settings.Property(s => s.Proxy).HasMaxLength(InstallSettingsCheck.MaxUrlLength);
        settings.Property(s => s.TimeZone).HasMaxLength(64);
        settings.Property(s => s.Locale).HasMaxLength(64);
        settings.Property(s => s.Keyboard).HasMaxLength(64);
        settings.Property(s => s.Disk).HasMaxLength(128);
        settings.Property(s => s.Packages).HasMaxLength(InstallSettingsCheck.MaxPackagesLength);
    }
}
