using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class TftpNegotiationTests
{
    private static readonly TftpServerOptions Defaults = new();

    [Fact]
    public void Negotiate_NoOptions_Rfc1350DefaultsAndNoOack()
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([], 1000, Defaults);

        Assert.Equal(512, settings.BlockSize);
        Assert.Equal(1, settings.WindowSize);
        Assert.Equal(Defaults.Timeout, settings.Timeout);
        Assert.False(settings.NeedsOptionAck);
    }

    [Fact]
    public void Negotiate_PxelinuxOptions_AnswersTsizeAndBlksize()
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("tsize", "0"), new("blksize", "1408")], 40_810_276, Defaults);

        Assert.Equal(1408, settings.BlockSize);
        Assert.Equal([new TftpOption("tsize", "40810276"), new TftpOption("blksize", "1408")], settings.Acknowledged);
    }

    [Theory]
    [InlineData("8", 8)]
    [InlineData("65464", 65464)]
    [InlineData("7", 512)] // below RFC 2348's range: ignored
    [InlineData("65465", 512)] // above it: ignored
    [InlineData("-1", 512)]
    [InlineData("1468x", 512)]
    [InlineData("", 512)]
    public void Negotiate_Blksize_Rfc2348Range(string value, int expected)
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("blksize", value)], 0, Defaults);

        Assert.Equal(expected, settings.BlockSize);
        Assert.Equal(expected != 512, settings.NeedsOptionAck);
    }

    [Fact]
    public void Negotiate_BlksizeAboveServerMax_AnswersServerMax()
    {
        var limits = new TftpServerOptions { MaxBlockSize = 1468 };

        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("blksize", "65464")], 0, limits);

        Assert.Equal(1468, settings.BlockSize);
        Assert.Equal([new TftpOption("blksize", "1468")], settings.Acknowledged);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("16", 16)]
    [InlineData("65535", 64)] // RFC 7440 lets the server answer less; default cap 64
    [InlineData("0", 1)]
    [InlineData("65536", 1)]
    public void Negotiate_Windowsize_Rfc7440Range(string value, int expected)
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("windowsize", value)], 0, Defaults);

        Assert.Equal(expected, settings.WindowSize);
    }

    [Fact]
    public void Negotiate_HugeServerWindowLimit_ClampedToUnambiguousRange()
    {
        var limits = new TftpServerOptions { MaxWindowSize = 65535 };

        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("windowsize", "65535")], 0, limits);

        Assert.Equal(TftpNegotiation.MaxUnambiguousWindow, settings.WindowSize);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("10", 10.0)] // MaxTimeout, the default bound
    [InlineData("11", 1.0)] // above the bound: refused, server default (1 s) kept
    [InlineData("255", 1.0)] // RFC 2349's largest: refused too (it held a slot for 25 minutes)
    [InlineData("0", 1.0)] // out of RFC 2349's range: ignored, server default (1 s) kept
    [InlineData("256", 1.0)]
    public void Negotiate_Timeout_Rfc2349RangeUpToMaxTimeout(string value, double expectedSeconds)
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("timeout", value)], 0, Defaults);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), settings.Timeout);
        Assert.Equal(expectedSeconds != 1.0 || value == "1", settings.NeedsOptionAck);
    }

    [Fact]
    public void Negotiate_UnknownAndMalformedOptions_IgnoredNotFatal()
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate(
            [new("multicast", ""), new("tsize", "none"), new("rollover", "0"), new("BLKSIZE", "1024")], 77, Defaults);

        Assert.Equal(1024, settings.BlockSize);
        Assert.Equal([new TftpOption("BLKSIZE", "1024")], settings.Acknowledged);
    }

    [Fact]
    public void Negotiate_RepeatedOption_FirstWins()
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("blksize", "1024"), new("Blksize", "2048")], 0, Defaults);

        Assert.Equal(1024, settings.BlockSize);
        Assert.Single(settings.Acknowledged);
    }

    [Fact]
    public void Negotiate_TsizeForEmptyFile_AnswersZero()
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate([new("tsize", "0")], 0, Defaults);

        Assert.Equal([new TftpOption("tsize", "0")], settings.Acknowledged);
    }
}
