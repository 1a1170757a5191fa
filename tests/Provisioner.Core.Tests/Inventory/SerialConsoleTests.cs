using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Inventory;

public sealed class SerialConsoleTests
{
    [Theory]
    [InlineData("ttyS1,115200n8", "ttyS1", 1, 115200, "ttyS1,115200n8")]
    [InlineData("ttyS0,9600", "ttyS0", 0, 9600, "ttyS0,9600n8")]
    [InlineData("ttyS0", "ttyS0", 0, 9600, "ttyS0,9600n8")]
    [InlineData("ttyAMA0,115200", "ttyAMA0", 0, 115200, "ttyAMA0,115200n8")]
    public void TryParse_KernelSpelling_GivesParts(string text, string device, int unit, int speed, string canonical)
    {
        Assert.True(SerialConsole.TryParse(text, out SerialConsole? console));
        Assert.Equal(device, console!.Device);
        Assert.Equal(unit, console.Unit);
        Assert.Equal(speed, console.Speed);
        Assert.Equal(canonical, console.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("NONE")]
    public void TryParse_NoneOrEmpty_IsNoConsole(string? text)
    {
        Assert.True(SerialConsole.TryParse(text, out SerialConsole? console));
        Assert.Null(console);
    }

    [Theory]
    [InlineData("com1")]
    [InlineData("ttyS1,fast")]
    [InlineData("ttyS1,115200n8 quiet")]
    [InlineData("/dev/ttyS1")]
    public void TryParse_Malformed_ReturnsFalse(string text) =>
        Assert.False(SerialConsole.TryParse(text, out _));
}
