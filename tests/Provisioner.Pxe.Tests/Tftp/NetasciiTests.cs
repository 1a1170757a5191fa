using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class NetasciiTests
{
    [Fact]
    public void TryEncode_LineEndsAndBareCr_FollowRfc764()
    {
        using var source = new MemoryTftpSource("a\nb\rc\r\n"u8.ToArray());

        Assert.True(Netascii.TryEncode(source, 1024, out MemoryTftpSource? encoded));

        byte[] bytes = new byte[encoded!.Length];
        encoded.Read(0, bytes);
        Assert.Equal("a\r\nb\r\0c\r\0\r\n"u8.ToArray(), bytes);
    }

    [Fact]
    public void TryEncode_OverLimitBeforeOrAfterExpansion_ReturnsFalse()
    {
        using var big = new MemoryTftpSource(new byte[11]);
        using var expanding = new MemoryTftpSource("\n\n\n\n\n\n"u8.ToArray());

        Assert.False(Netascii.TryEncode(big, 10, out _));
        Assert.False(Netascii.TryEncode(expanding, 10, out _));
    }
}
