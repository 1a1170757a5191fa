using Provisioner.Pxe.Logging;

namespace Provisioner.Pxe.Tests.Logging;

public sealed class LogTextTests
{
    [Fact]
    public void Bounded_PlainShortText_Unchanged() => Assert.Equal("pxelinux.cfg/default", LogText.Bounded("pxelinux.cfg/default"));

    [Fact]
    public void Bounded_ControlCharacters_Escaped_SoANameCannotForgeALogLine() =>
        Assert.Equal("a\\x0a2026-12-03 info: forged\\x1b[0m", LogText.Bounded("a\n2026-12-03 info: forged\u001b[0m"));

    [Fact]
    public void Bounded_LongText_CutAndCounted()
    {
        string shown = LogText.Bounded(new string('x', 65_000));

        Assert.Equal(new string('x', LogText.MaxLength) + "… (65000 characters)", shown);
    }
}
