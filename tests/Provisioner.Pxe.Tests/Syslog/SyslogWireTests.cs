using System.Text;
using Provisioner.Pxe.Syslog;

namespace Provisioner.Pxe.Tests.Syslog;

public sealed class SyslogWireTests
{
    [Theory]
    // busybox syslogd forwarding d-i's log (no hostname).
    [InlineData("<14>Nov 25 02:00:01 main-menu[213]: INFO: Menu item 'netcfg' selected", 1, 6, "main-menu", "main-menu[213]: INFO: Menu item 'netcfg' selected")]
    // With a hostname, day padded with a space.
    [InlineData("<13>Jan  5 10:00:00 test01 netcfg[402]: DEBUG: received IP address", 1, 5, "netcfg", "netcfg[402]: DEBUG: received IP address")]
    // Tag without pid.
    [InlineData("<30>Nov 25 02:00:01 anna: retrieving udeb", 3, 6, "anna", "anna: retrieving udeb")]
    // No timestamp, no tag.
    [InlineData("<0>kernel panic", 0, 0, "", "kernel panic")]
    // RFC 5424 with structured data and a BOM.
    [InlineData("<165>1 2026-11-25T02:00:01.003Z test01 pkgsel 77 ID47 [exampleSDID@32473 iut=\"3\" eventID=\"1011\"] \uFEFFinstalling", 20, 5, "pkgsel", "pkgsel[77]: installing")]
    // RFC 5424 with nils.
    [InlineData("<34>1 - - - - - - started", 4, 2, "", "started")]
    // RFC 5424 with escaped ] inside structured data.
    [InlineData("<34>1 - host app - - [a@1 x=\"y\\]z\"] text", 4, 2, "app", "app: text")]
    public void TryRead_WellFormed_ReadsPriorityTagAndText(string datagram, int facility, int severity, string tag, string text)
    {
        Assert.True(SyslogWire.TryRead(Encoding.UTF8.GetBytes(datagram), out SyslogMessage message));
        Assert.Equal(new SyslogMessage(facility, severity, tag, text), message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no priority")]
    [InlineData("<>x")]
    [InlineData("<192>too high")]
    [InlineData("<01>leading zero")]
    [InlineData("<1234>four digits")]
    [InlineData("<13")]
    [InlineData("<13>")]
    [InlineData("<13>   \n")]
    [InlineData("<13>1 short")]
    public void TryRead_Malformed_False(string datagram) => Assert.False(SyslogWire.TryRead(Encoding.UTF8.GetBytes(datagram), out _));

    [Fact]
    public void TryRead_ControlCharactersAndOverlongText_CleanedAndCut()
    {
        byte[] datagram = Encoding.UTF8.GetBytes("<14>tag: a\u001b[31mred\u0000\tz\n" + new string('x', 5000));
        Assert.True(SyslogWire.TryRead(datagram, out SyslogMessage message));
        Assert.StartsWith("tag: a[31mred zx", message.Text, StringComparison.Ordinal);
        Assert.Equal(SyslogWire.MaxTextLength, message.Text.Length);
    }

    [Fact]
    public void TryRead_EveryTruncationAndInvalidUtf8_NeverThrows()
    {
        byte[] full = Encoding.UTF8.GetBytes("<165>1 2026-11-25T02:00:01Z host app 1 m [a@1 b=\"c\"] text");
        for (int length = 0; length <= full.Length; length++)
        {
            SyslogWire.TryRead(full.AsSpan(0, length), out _);
        }
        Assert.True(SyslogWire.TryRead([.. "<14>x: "u8, 0xff, 0xfe, (byte)'!'], out SyslogMessage invalid));
        Assert.EndsWith("!", invalid.Text, StringComparison.Ordinal);
        var random = new Random(5424);
        var buffer = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            buffer[0] = (byte)'<';
            SyslogWire.TryRead(buffer.AsSpan(0, random.Next(buffer.Length)), out _);
        }
    }
}
