using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Inventory;

public sealed class InstallSettingsCheckTests
{
    [Fact]
    public void Normalise_GoodSettings_KeepsThemInCanonicalForm()
    {
        var errors = new List<FieldError>();
        InstallSettings settings = InstallSettingsCheck.Normalise(new()
        {
            Mirror = " HTTP://Mirror.Example.ORG:8080/debian ", Proxy = "NONE", TimeZone = "Europe/Berlin", Locale = "de_DE.UTF-8",
            Keyboard = "fr(latin9)", Disk = "/dev/disk/by-id/nvme-Samsung_SSD_980_S64DNX0R123456", Packages = "htop, curl  htop\tlibpam-systemd", WipeDisks = false,
        }, errors);

        Assert.Empty(errors);
        Assert.Equal("http://mirror.example.org:8080/debian", settings.Mirror);
        Assert.Equal(InstallSettings.None, settings.Proxy);
        Assert.Equal("Europe/Berlin", settings.TimeZone);
        Assert.Equal("fr(latin9)", settings.Keyboard);
        Assert.Equal("htop curl libpam-systemd", settings.Packages);
        Assert.False(settings.WipeDisks);
    }

    [Fact]
    public void Normalise_NothingGiven_LeavesEverythingUnset()
    {
        var errors = new List<FieldError>();
        Assert.Equal(new InstallSettings(), InstallSettingsCheck.Normalise(new() { Mirror = " ", Packages = "" }, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("mirror", "ftp://mirror.example.org/debian", "is not a URL like http://mirror.example.org/debian")]
    [InlineData("mirror", "http://mirror.example.org/debian?x=1", "is not a URL")]
    [InlineData("mirror", "http://user:pw@mirror.example.org/debian", "is not a URL")]
    [InlineData("mirror", "none", "is not a URL")]
    [InlineData("proxy", "proxy.example.org:3128", "is not a URL like http://proxy.example.org:3128/ (or none)")]
    [InlineData("timeZone", "Europe/Atlantis", "is not in the tz database")]
    [InlineData("timeZone", "../../etc/passwd", "is not a tz database name")]
    [InlineData("locale", "en_US.UTF-8 keymap=de", "is not a locale")]
    [InlineData("keyboard", "us\nd-i passwd/root-login boolean true", "is not an X keymap")]
    [InlineData("disk", "sda", "is not a disk device like /dev/sda")]
    [InlineData("disk", "/dev/../etc/shadow", "is not a disk device")]
    [InlineData("packages", "vim; rm -rf /", "'-rf', '/': not a Debian package name")]
    public void Normalise_BadValue_NamesTheSettingAndWhy(string field, string value, string reason)
    {
        var given = field switch
        {
            "mirror" => new InstallSettings { Mirror = value },
            "proxy" => new InstallSettings { Proxy = value },
            "timeZone" => new InstallSettings { TimeZone = value },
            "locale" => new InstallSettings { Locale = value },
            "keyboard" => new InstallSettings { Keyboard = value },
            "disk" => new InstallSettings { Disk = value },
            _ => new InstallSettings { Packages = value },
        };
        var errors = new List<FieldError>();

        InstallSettings settings = InstallSettingsCheck.Normalise(given, errors);

        FieldError error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(new InstallSettings(), settings);
    }

    [Fact]
    public void Normalise_TooManyPackages_IsRefused()
    {
        var errors = new List<FieldError>();
        InstallSettingsCheck.Normalise(new() { Packages = string.Join(' ', Enumerable.Range(0, 101).Select(i => $"pkg{i}")) }, errors);
        Assert.Contains("101 packages; at most 100", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_TakesEachUnsetValueFromTheFallback()
    {
        var host = new InstallSettings { TimeZone = "Europe/Berlin", Proxy = InstallSettings.None, WipeDisks = false };
        var site = new InstallSettings { TimeZone = "Etc/UTC", Proxy = "http://proxy.example.org:3128/", Mirror = "http://mirror.example.org/debian" };

        InstallSettings merged = host.Over(site).Over(InstallSettings.BuiltIn);

        Assert.Equal("Europe/Berlin", merged.TimeZone);
        Assert.Equal(InstallSettings.None, merged.Proxy);
        Assert.Equal("http://mirror.example.org/debian", merged.Mirror);
        Assert.Equal("en_US.UTF-8", merged.Locale);
        Assert.False(merged.WipeDisks);
        Assert.Null(merged.Disk);
    }

    [Fact]
    public void Problems_NameTheConfigurationKey()
    {
        Assert.Equal(["Preseed:Defaults:TimeZone: 'Mars/Olympus' is not in the tz database (like Europe/Berlin, America/New_York or Etc/UTC)"],
            InstallSettingsCheck.Problems("Preseed:Defaults", new() { TimeZone = "Mars/Olympus" }));
    }
}
