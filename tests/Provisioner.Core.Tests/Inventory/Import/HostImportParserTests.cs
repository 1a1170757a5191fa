using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;

namespace Provisioner.Core.Tests.Inventory.Import;

public sealed class HostImportParserTests
{
    private static readonly HostFields Defaults = new() { Gateway = "192.0.2.1", Profile = "debian12" };

    [Fact]
    public void Parse_Ip2MacWithHeaderAndComments_GivesOneEntryPerHost()
    {
        ParsedImport parsed = HostImportParser.Parse("ip|mac|hostname\n# rack 1\n192.0.2.10|aa:bb:cc:dd:ee:01|web01\n\n192.0.2.11/25 | AA-BB-CC-DD-EE-02 | web02\n", HostImportFormat.Ip2Mac, Defaults, 24);
        Assert.Empty(parsed.Errors);
        Assert.Equal([3, 5], parsed.Lines);
        Assert.Equal("192.0.2.10/24", parsed.Entries[0].Ip);
        Assert.Equal("192.0.2.11/25", parsed.Entries[1].Ip);
        Assert.Equal("AA-BB-CC-DD-EE-02", parsed.Entries[1].Mac);
        Assert.All(parsed.Entries, e => Assert.Equal("192.0.2.1", e.Gateway));
    }

    [Fact]
    public void Parse_Ip2MacWrongFieldCount_ReportsTheLine()
    {
        ParsedImport parsed = HostImportParser.Parse("192.0.2.10|aa:bb:cc:dd:ee:01\n192.0.2.11|aa:bb:cc:dd:ee:02|web02|extra\n", HostImportFormat.Ip2Mac, Defaults, 24);
        Assert.Equal(["line 1", "line 2"], parsed.Errors.Select(e => e.Field));
        Assert.Empty(parsed.Entries);
    }

    [Fact]
    public void Parse_CsvWithNamedColumns_MapsThemInAnyOrder()
    {
        ParsedImport parsed = HostImportParser.Parse("hostname,mac,ip,dns,notes\nweb01,aa:bb:cc:dd:ee:01,192.0.2.10/24,192.0.2.53 192.0.2.54,\"rack 1, slot 3\"\n", HostImportFormat.Csv, Defaults, null);
        Assert.Empty(parsed.Errors);
        HostFields entry = Assert.Single(parsed.Entries);
        Assert.Equal("web01", entry.Hostname);
        Assert.Equal(["192.0.2.53", "192.0.2.54"], entry.Dns);
        Assert.Equal("rack 1, slot 3", entry.Notes);
        Assert.Equal("debian12", entry.Profile);
    }

    [Fact]
    public void Parse_CsvSettingsColumns_AreTheHostsOwnSettings()
    {
        ParsedImport parsed = HostImportParser.Parse("mac,hostname,ip,settings.timeZone,settings.packages,settings.wipeDisks\naa:bb:cc:dd:ee:01,web01,192.0.2.10/24,Europe/Berlin,htop curl,no\naa:bb:cc:dd:ee:02,web02,192.0.2.11/24,,,\n", HostImportFormat.Csv, Defaults, null);
        Assert.Empty(parsed.Errors);
        Assert.Equal(new InstallSettings { TimeZone = "Europe/Berlin", Packages = "htop curl", WipeDisks = false }, parsed.Entries[0].Settings);
        Assert.Equal(new InstallSettings(), parsed.Entries[1].Settings);
    }

    [Fact]
    public void Parse_CsvBadFlag_ReportsTheLineAndColumn()
    {
        ParsedImport parsed = HostImportParser.Parse("mac,hostname,ip,settings.wipeDisks\naa:bb:cc:dd:ee:01,web01,192.0.2.10/24,maybe\n", HostImportFormat.Csv, Defaults, null);
        FieldError error = Assert.Single(parsed.Errors);
        Assert.Equal("line 2", error.Field);
        Assert.Equal("settings.wipeDisks: 'maybe' is not true or false (or empty for the site's default)", error.Message);
        Assert.Empty(parsed.Entries);
    }

    [Fact]
    public void Parse_CsvUnknownColumn_IsRefusedOnTheHeaderLine()
    {
        ParsedImport parsed = HostImportParser.Parse("mac,hostname,ipaddr\n", HostImportFormat.Csv, Defaults, null);
        FieldError error = Assert.Single(parsed.Errors);
        Assert.Equal("line 1", error.Field);
        Assert.Contains("ipaddr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_ReadsBackAsTheSameFields()
    {
        var host = new HostRecord
        {
            Id = 7, Mac = "aa:bb:cc:dd:ee:01", Hostname = "web01", Domain = "example.org", Ip = "192.0.2.10", PrefixLength = 24,
            Gateway = "192.0.2.1", Dns = ["192.0.2.53", "192.0.2.54"], Profile = "debian12", Console = "ttyS1,115200n8",
            KernelArgs = "quiet", Notes = "rack 1, \"slot\" 3\nsecond line", State = BuildState.Installed,
            SshKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ a@example.org", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBrM2vVsk1SSCUhgZHM5nOEcqGMvJhZqdjR8uxD4GhMP"],
            Settings = new() { Mirror = "http://mirror.example.org/debian", Proxy = "none", TimeZone = "Europe/Berlin", Locale = "de_DE.UTF-8", Keyboard = "de", Disk = "/dev/sdb", Packages = "htop curl", WipeDisks = false },
        };
        ParsedImport parsed = HostImportParser.Parse(HostImportParser.ToCsv([host]), HostImportFormat.Csv, new HostFields(), null);
        Assert.Empty(parsed.Errors);
        Assert.Equal(HostFields.From(host) with { Dns = null, SshKeys = null }, Assert.Single(parsed.Entries) with { Dns = null, SshKeys = null });
        Assert.Equal(host.Dns, parsed.Entries[0].Dns);
        Assert.Equal(host.SshKeys, parsed.Entries[0].SshKeys);
    }

    /// <summary>OWASP CSV injection: a note a spreadsheet would run as a formula is written as text, and reads back as it was.</summary>
    [Theory]
    [InlineData("=cmd|' /C calc'!A0")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    public void ToCsv_FormulaInANote_WrittenAsTextAndReadBackUnchanged(string notes)
    {
        var host = new HostRecord
        {
            Id = 7, Mac = "aa:bb:cc:dd:ee:01", Hostname = "web01", Ip = "192.0.2.10", PrefixLength = 24, Profile = "debian12",
            Notes = notes, KernelArgs = "=evil", State = BuildState.Idle,
        };

        string csv = HostImportParser.ToCsv([host]);
        Assert.True(Csv.TryRead(csv, out List<Csv.Row> rows, out _));
        Assert.All(rows[1].Fields, cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));

        ParsedImport parsed = HostImportParser.Parse(csv, HostImportFormat.Csv, new HostFields(), null);
        Assert.Empty(parsed.Errors);
        Assert.Equal(notes, Assert.Single(parsed.Entries).Notes);
        Assert.Equal("=evil", parsed.Entries[0].KernelArgs);
    }
}
