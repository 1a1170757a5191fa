using System.Text;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class TftpWireTests
{
    private static readonly TftpRequest PxelinuxRequest = new(
        TftpOpcode.ReadRequest,
        "pxelinux.cfg/01-52-54-00-12-34-56",
        "octet",
        [new("tsize", "0"), new("blksize", "1408")]);

    [Fact]
    public void TryReadRequest_WrittenRequest_RoundTrips()
    {
        byte[] wire = Write(PxelinuxRequest);

        Assert.True(TftpWire.TryReadRequest(wire, out TftpRequest? read));
        Assert.Equal(PxelinuxRequest.Opcode, read.Opcode);
        Assert.Equal(PxelinuxRequest.Filename, read.Filename);
        Assert.Equal(PxelinuxRequest.Mode, read.Mode);
        Assert.Equal(PxelinuxRequest.Options, read.Options);
    }

    [Fact]
    public void TryReadRequest_CapturedIpxeRequest_Decodes()
    {
        // The RRQ iPXE sent for pxelinux.0 (see shared/notes/pxe-facts.md).
        byte[] wire = [0, 1, .. "pxelinux.0\0octet\0blksize\01432\0tsize\00\0"u8];

        Assert.True(TftpWire.TryReadRequest(wire, out TftpRequest? read));
        Assert.Equal("pxelinux.0", read.Filename);
        Assert.Equal([new TftpOption("blksize", "1432"), new TftpOption("tsize", "0")], read.Options);
    }

    [Fact]
    public void TryReadRequest_EveryTruncation_AcceptedOnlyAtCompleteFieldBoundaries()
    {
        byte[] wire = Write(PxelinuxRequest);
        // Complete requests end after the mode and after each complete option pair.
        int afterMode = 2 + Encoding.ASCII.GetByteCount(PxelinuxRequest.Filename) + 1 + "octet".Length + 1;
        int afterFirstPair = afterMode + "tsize".Length + 1 + "0".Length + 1;
        int[] boundaries = [afterMode, afterFirstPair];

        for (int length = 0; length < wire.Length; length++)
        {
            bool ok = TftpWire.TryReadRequest(wire.AsSpan(0, length), out TftpRequest? read);

            Assert.Equal(boundaries.Contains(length), ok);
            if (ok)
            {
                Assert.Equal(PxelinuxRequest.Filename, read!.Filename);
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0, 1, (byte)'a', 0, (byte)'o', 0, (byte)'x', 0 })] // option name without value
    [InlineData(new byte[] { 0, 1, (byte)'a', 0 })] // no mode
    [InlineData(new byte[] { 0, 1, 0xC0, 0x80, 0, (byte)'o', 0 })] // overlong UTF-8 NUL in the filename
    [InlineData(new byte[] { 0, 3, (byte)'a', 0, (byte)'o', 0 })] // a DATA opcode is no request
    [InlineData(new byte[] { 0, 7, (byte)'a', 0, (byte)'o', 0 })] // unknown opcode
    [InlineData(new byte[] { 0xFF, 0xFF, (byte)'a', 0, (byte)'o', 0 })]
    public void TryReadRequest_Malformed_ReturnsFalse(byte[] wire)
    {
        Assert.False(TftpWire.TryReadRequest(wire, out _));
    }

    [Fact]
    public void TryReadAck_EveryTruncation_ReturnsFalse()
    {
        Assert.True(TftpWire.TryWriteAck(new byte[4], 0xBEEF, out _));
        byte[] wire = [0, 4, 0xBE, 0xEF];
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.False(TftpWire.TryReadAck(wire.AsSpan(0, length), out _));
        }
        Assert.True(TftpWire.TryReadAck(wire, out ushort block));
        Assert.Equal(0xBEEF, block);
    }

    [Fact]
    public void TryReadData_RoundTripAndEveryTruncationOfHeader()
    {
        byte[] buffer = new byte[16];
        Assert.True(TftpWire.TryWriteData(buffer, 65535, "payload"u8, out int written));

        Assert.True(TftpWire.TryReadData(buffer.AsSpan(0, written), out ushort block, out ReadOnlySpan<byte> payload));
        Assert.Equal(65535, block);
        Assert.Equal("payload"u8.ToArray(), payload.ToArray());
        for (int length = 0; length < TftpWire.HeaderLength; length++)
        {
            Assert.False(TftpWire.TryReadData(buffer.AsSpan(0, length), out _, out _));
        }
        // An empty DATA is the last block of a file whose size is a multiple of blksize.
        Assert.True(TftpWire.TryReadData(buffer.AsSpan(0, TftpWire.HeaderLength), out _, out ReadOnlySpan<byte> empty));
        Assert.True(empty.IsEmpty);
    }

    [Fact]
    public void TryReadError_RoundTripsAndRejectsEveryTruncation()
    {
        byte[] buffer = new byte[64];
        Assert.True(TftpWire.TryWriteError(buffer, TftpErrorCode.AccessViolation, "no", out int written));
        byte[] wire = buffer[..written];

        Assert.True(TftpWire.TryReadError(wire, out TftpErrorCode code, out string? message));
        Assert.Equal(TftpErrorCode.AccessViolation, code);
        Assert.Equal("no", message);
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.False(TftpWire.TryReadError(wire.AsSpan(0, length), out _, out _));
        }
    }

    [Fact]
    public void TryReadOptionAck_RoundTripsAndRejectsTruncationsInsideAPair()
    {
        TftpOption[] options = [new("blksize", "1468"), new("tsize", "40810276")];
        byte[] buffer = new byte[64];
        Assert.True(TftpWire.TryWriteOptionAck(buffer, options, out int written));
        byte[] wire = buffer[..written];

        Assert.True(TftpWire.TryReadOptionAck(wire, out List<TftpOption>? read));
        Assert.Equal(options, read);
        int[] boundaries = [2, 2 + "blksize\01468\0".Length];
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.Equal(boundaries.Contains(length), TftpWire.TryReadOptionAck(wire.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalseForEveryLength()
    {
        byte[] full = Write(PxelinuxRequest);
        for (int length = 0; length < full.Length; length++)
        {
            Assert.False(TftpWire.TryWriteRequest(new byte[length], PxelinuxRequest, out _));
        }
        Assert.False(TftpWire.TryWriteError(new byte[6], TftpErrorCode.NotDefined, "busy", out _));
        Assert.False(TftpWire.TryWriteAck(new byte[3], 1, out _));
        Assert.False(TftpWire.TryWriteData(new byte[5], 1, "ab"u8, out _));
    }

    [Fact]
    public void TryWriteError_MessageWithNul_ReturnsFalse()
    {
        Assert.False(TftpWire.TryWriteError(new byte[64], TftpErrorCode.NotDefined, "a\0b", out _));
    }

    private static byte[] Write(TftpRequest request)
    {
        byte[] buffer = new byte[512];
        Assert.True(TftpWire.TryWriteRequest(buffer, request, out int written));
        return buffer[..written];
    }
}
