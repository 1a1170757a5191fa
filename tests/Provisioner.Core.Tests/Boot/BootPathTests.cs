using Provisioner.Core.Boot;

namespace Provisioner.Core.Tests.Boot;

public class BootPathTests
{
    [Theory]
    [InlineData("pxelinux.0", "pxelinux.0")]
    [InlineData("/pxelinux.0", "pxelinux.0")] // pxelinux with path prefix "/"
    [InlineData("/pxelinux.cfg/01-52-54-00-12-34-56", "pxelinux.cfg/01-52-54-00-12-34-56")]
    [InlineData("debian//./installer/linux", "debian/installer/linux")]
    [InlineData("/etc/passwd", "etc/passwd")] // resolved inside the boot dir, like tftpd-hpa -s
    [InlineData("dots..in..name", "dots..in..name")]
    public void TryNormalize_AcceptedPaths_RelativeToBootDir(string requested, string expected)
    {
        Assert.True(BootPath.TryNormalize(requested, out string relative, out _));
        Assert.Equal(expected, relative);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("../etc/passwd")]
    [InlineData("/../etc/passwd")]
    [InlineData("pxelinux.cfg/../../etc/passwd")]
    [InlineData("a/..")]
    [InlineData("//etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("c:pxelinux.0")]
    [InlineData("~root/.ssh/id_rsa")]
    [InlineData("pxelinux.cfg\\default")]
    [InlineData("\\\\server\\share")]
    [InlineData("pxelinux.0\0../etc/passwd")]
    public void TryNormalize_RefusedPaths_GiveReason(string requested)
    {
        Assert.False(BootPath.TryNormalize(requested, out _, out string refusal));
        Assert.NotEmpty(refusal);
    }
}
