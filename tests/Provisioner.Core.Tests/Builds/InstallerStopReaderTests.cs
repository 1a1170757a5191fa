using Provisioner.Core.Builds;

namespace Provisioner.Core.Tests.Builds;

/// <summary>
/// The lines are d-i's as its syslog sends them (tag, then the text with the tag repeated), in the
/// shapes recorded in shared/notes/pxe-facts.md: anna's 404 when the archive refuses udebs, and
/// cdebconf's protocol trace with <c>DEBCONF_DEBUG=developer</c>.
/// </summary>
public sealed class InstallerStopReaderTests
{
    private static string? Feed(InstallerStopReader reader, params (string Tag, string Text)[] lines)
    {
        string? stopped = null;
        foreach ((string tag, string text) in lines)
        {
            stopped = reader.Read(tag, text) ?? stopped;
        }
        return stopped;
    }

    [Fact]
    public void UdebsRefused_QuestionShown_StopsInTheInstallersWords()
    {
        var reader = new InstallerStopReader();
        Assert.Null(Feed(reader,
            ("main-menu", "main-menu[201]: INFO: Menu item 'download-installer' selected"),
            ("anna", "anna[2210]: DEBUG: retrieving libcrypto3-udeb 3.0.11-1~deb12u2"),
            ("anna", "anna[2210]: 2026-12-02 11:35:40 ERROR 404: Not Found."),
            ("anna", "anna[2210]: WARNING **: package retrieval failed"),
            ("debconf", "debconf: --> SUBST retriever/net/error HOST 192.0.2.1"),
            ("debconf", "debconf: <-- 0"),
            ("debconf", "debconf: --> INPUT critical retriever/net/error")));

        string? stopped = reader.Read("debconf", "debconf: <-- 0 question will be asked");

        Assert.Equal("installer stopped at download-installer: waiting for an answer to retriever/net/error"
            + " (anna: 2026-12-02 11:35:40 ERROR 404: Not Found.; anna: WARNING **: package retrieval failed)", stopped);
    }

    /// <summary>Seen here (QEMU, Debian 12 d-i): a preseed command that exits non-zero; d-i fills its error with the command and the code.</summary>
    [Fact]
    public void PreseedCommandFails_StopsNamingTheCommandAndItsCode()
    {
        var reader = new InstallerStopReader();
        Assert.Null(Feed(reader,
            ("main-menu", "main-menu[201]: INFO: Menu item 'network-preseed' selected"),
            ("debconf", "debconf: Adding [ID] -> [grub-installer/bootdev]"),
            ("debconf", "debconf: --> INPUT high netcfg/get_domain"),
            ("debconf", "debconf: <-- 30 question skipped"),
            ("debconf", "debconf: Adding [COMMAND] -> [wget -q -O /dev/null http://192.0.2.2:8080/build/x/early; kill-all-dhcp; netcfg; debconf-set partman-auto/disk \"$(list-devices disk | head -n1)\"]"),
            ("debconf", "debconf: Adding [CODE] -> [10]"),
            ("debconf", "debconf: --> INPUT critical preseed/command_failed")));

        string? stopped = reader.Read("debconf", "debconf: <-- 0 question will be asked");

        Assert.Equal("installer stopped at network-preseed: waiting for an answer to preseed/command_failed"
            + " [COMMAND wget -q -O /dev/null http://192.0.2.2:8080/build/x/early; kill-all-dhcp; netcfg; debconf-set partman-auto/disk \"$(list-devices disk | head -n1)\"; CODE 10]", stopped);
    }

    [Fact]
    public void PreseededOrLowPriorityQuestion_Skipped_NotAStop()
    {
        var reader = new InstallerStopReader();

        Assert.Null(Feed(reader,
            ("debconf", "debconf: --> INPUT critical partman/confirm"),
            ("debconf", "debconf: <-- 30 question skipped"),
            ("debconf", "debconf: --> INPUT medium debian-installer/main-menu"),
            ("debconf", "debconf: <-- 30 question skipped"),
            // A reply with no INPUT before it answers some other command.
            ("debconf", "debconf: --> GET mirror/http/hostname"),
            ("debconf", "debconf: <-- 0 192.0.2.1")));
    }

    [Fact]
    public void ComponentFails_StopsWithItsErrorCode()
    {
        var reader = new InstallerStopReader();

        string? stopped = Feed(reader,
            ("main-menu", "main-menu[201]: INFO: Menu item 'bootstrap-base' selected"),
            ("debootstrap", "debootstrap: E: Couldn't find these debs: systemd-sysv"),
            ("base-installer", "base-installer: error: exiting on error base-installer/debootstrap-failed"),
            ("main-menu", "main-menu[201]: WARNING **: Configuring 'bootstrap-base' failed with error code 1"));

        Assert.Equal("installer stopped at bootstrap-base: bootstrap-base failed with error code 1"
            + " (base-installer: error: exiting on error base-installer/debootstrap-failed)", stopped);
        Assert.Equal("installer stopped at grub-installer: grub-installer failed", new InstallerStopReader().Read("main-menu", "main-menu[9]: WARNING **: Menu item 'grub-installer' failed."));
    }

    [Fact]
    public void EarlierComponentsComplaints_NotPartOfTheReason_AtMostThreeKept()
    {
        var reader = new InstallerStopReader();
        string long500 = new('x', 500);

        string? stopped = Feed(reader,
            ("kernel", "kernel: modprobe: FATAL: Module floppy not found"),
            ("main-menu", "main-menu[201]: INFO: Menu item 'choose-mirror' selected"),
            ("choose-mirror", "choose-mirror[300]: wget: bad address 'deb.debian.org'"),
            ("choose-mirror", "choose-mirror[300]: wget: bad address 'deb.debian.org'"),
            ("choose-mirror", "choose-mirror[300]: error 1"),
            ("choose-mirror", "choose-mirror[300]: error 2"),
            ("choose-mirror", $"choose-mirror[300]: error {long500}"),
            ("choose-mirror", "choose-mirror[300]: all fine here"),
            ("debconf", "debconf: --> INPUT critical mirror/bad"),
            ("debconf", "debconf: <-- 0 question will be asked"));

        Assert.NotNull(stopped);
        Assert.DoesNotContain("floppy", stopped, StringComparison.Ordinal);
        Assert.DoesNotContain("bad address", stopped, StringComparison.Ordinal);
        Assert.Contains("choose-mirror: error 1; choose-mirror: error 2; choose-mirror: error xxx", stopped, StringComparison.Ordinal);
        Assert.EndsWith("x…)", stopped, StringComparison.Ordinal);
        Assert.True(stopped.Length < 400, stopped);
    }

    [Theory]
    [InlineData("debconf", "debconf: --> GET debconf/priority", true)]
    [InlineData("debconf", "debconf: <-- 0 critical", true)]
    [InlineData("frontend", "frontend: --> GET preseed/early_command", true)]
    [InlineData("debconf", "debconf: --> INPUT critical mirror/bad", false)]
    [InlineData("debconf", "debconf: Setting debconf/language to en", false)]
    [InlineData("anna", "anna[1]: --> not debconf's", false)]
    public void DebconfChatter_OnlyTheProtocolTraceOtherThanInput(string tag, string text, bool chatter) =>
        Assert.Equal(chatter, InstallerStopReader.IsDebconfChatter(tag, text));
}
