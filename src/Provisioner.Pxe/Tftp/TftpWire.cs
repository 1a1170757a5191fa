using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// The TFTP wire format as static readers and writers over spans. Readers never throw: a datagram
/// that does not match its RFC layout returns false and the caller drops it.
/// </summary>
internal static class TftpWire
{
    /// <summary>Opcode plus block number: the fixed header of DATA and ACK (RFC 1350 §5).</summary>
    public const int HeaderLength = 4;

    /// <summary>
    /// RFC 2347: a request with its options fits 512 octets, and so does the OACK that answers it (ours
    /// echoes at most blksize, tsize, timeout and windowsize with numeric values).
    /// </summary>
    public const int MaxOptionAckLength = 512;

    public static bool TryReadOpcode(ReadOnlySpan<byte> datagram, out TftpOpcode opcode)
    {
        opcode = default;
        if (datagram.Length < 2)
        {
            return false;
        }
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if (value is < (ushort)TftpOpcode.ReadRequest or > (ushort)TftpOpcode.OptionAck)
        {
            return false;
        }
        opcode = (TftpOpcode)value;
        return true;
    }

    /// <summary>
    /// RRQ/WRQ: | opcode | filename | 0 | mode | 0 | then RFC 2347 §"Packet Formats": zero or more
    /// | opt | 0 | value | 0 | pairs. Every string must be NUL-terminated and options must come in
    /// complete pairs; the filename must be valid UTF-8.
    /// </summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out TftpRequest? request)
    {
        request = null;
        if (!TryReadOpcode(datagram, out TftpOpcode opcode)
            || opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            return false;
        }
        ReadOnlySpan<byte> rest = datagram[2..];
        if (!TryReadString(ref rest, out string? filename) || !TryReadString(ref rest, out string? mode))
        {
            return false;
        }
        if (!TryReadOptions(rest, out List<TftpOption>? options))
        {
            return false;
        }
        request = new TftpRequest(opcode, filename, mode, options);
        return true;
    }

    /// <summary>ACK: | 04 | block # | (RFC 1350 §5). Trailing bytes are ignored.</summary>
    public static bool TryReadAck(ReadOnlySpan<byte> datagram, out ushort block)
    {
        block = 0;
        if (datagram.Length < HeaderLength || !TryReadOpcode(datagram, out TftpOpcode opcode) || opcode != TftpOpcode.Ack)
        {
            return false;
        }
        block = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        return true;
    }

    /// <summary>DATA: | 03 | block # | 0-blksize bytes | (RFC 1350 §5).</summary>
    public static bool TryReadData(ReadOnlySpan<byte> datagram, out ushort block, out ReadOnlySpan<byte> payload)
    {
        block = 0;
        payload = default;
        if (datagram.Length < HeaderLength || !TryReadOpcode(datagram, out TftpOpcode opcode) || opcode != TftpOpcode.Data)
        {
            return false;
        }
        block = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        payload = datagram[HeaderLength..];
        return true;
    }

    /// <summary>ERROR: | 05 | ErrorCode | ErrMsg | 0 | (RFC 1350 §5).</summary>
    public static bool TryReadError(ReadOnlySpan<byte> datagram, out TftpErrorCode code, [NotNullWhen(true)] out string? message)
    {
        code = default;
        message = null;
        if (datagram.Length < HeaderLength || !TryReadOpcode(datagram, out TftpOpcode opcode) || opcode != TftpOpcode.Error)
        {
            return false;
        }
        code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        ReadOnlySpan<byte> rest = datagram[HeaderLength..];
        return TryReadString(ref rest, out message);
    }

    /// <summary>OACK: | 06 | opt1 | 0 | value1 | 0 | ... (RFC 2347).</summary>
    public static bool TryReadOptionAck(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out List<TftpOption>? options)
    {
        options = null;
        if (!TryReadOpcode(datagram, out TftpOpcode opcode) || opcode != TftpOpcode.OptionAck)
        {
            return false;
        }
        return TryReadOptions(datagram[2..], out options);
    }

    /// <summary>Writes the 4-byte DATA header; the caller puts the payload right after it.</summary>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
    }

    public static bool TryWriteData(Span<byte> destination, ushort block, ReadOnlySpan<byte> payload, out int written)
    {
        written = 0;
        if (destination.Length < HeaderLength + payload.Length)
        {
            return false;
        }
        WriteDataHeader(destination, block);
        payload.CopyTo(destination[HeaderLength..]);
        written = HeaderLength + payload.Length;
        return true;
    }

    public static bool TryWriteAck(Span<byte> destination, ushort block, out int written)
    {
        written = 0;
        if (destination.Length < HeaderLength)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
        written = HeaderLength;
        return true;
    }

    public static bool TryWriteError(Span<byte> destination, TftpErrorCode code, string message, out int written)
    {
        written = 0;
        if (destination.Length < HeaderLength)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)code);
        int offset = HeaderLength;
        if (!TryWriteString(destination, ref offset, message))
        {
            return false;
        }
        written = offset;
        return true;
    }

    public static bool TryWriteOptionAck(Span<byte> destination, IReadOnlyList<TftpOption> options, out int written)
    {
        written = 0;
        if (destination.Length < 2)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.OptionAck);
        int offset = 2;
        if (!TryWriteOptions(destination, ref offset, options))
        {
            return false;
        }
        written = offset;
        return true;
    }

    public static bool TryWriteRequest(Span<byte> destination, TftpRequest request, out int written)
    {
        written = 0;
        if (destination.Length < 2)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)request.Opcode);
        int offset = 2;
        if (!TryWriteString(destination, ref offset, request.Filename)
            || !TryWriteString(destination, ref offset, request.Mode)
            || !TryWriteOptions(destination, ref offset, request.Options))
        {
            return false;
        }
        written = offset;
        return true;
    }

    private static bool TryReadOptions(ReadOnlySpan<byte> rest, [NotNullWhen(true)] out List<TftpOption>? options)
    {
        options = [];
        while (!rest.IsEmpty)
        {
            // RFC 2347: options are name/value pairs; a name with no value is a malformed request.
            if (!TryReadString(ref rest, out string? name) || !TryReadString(ref rest, out string? value))
            {
                options = null;
                return false;
            }
            options.Add(new TftpOption(name, value));
        }
        return true;
    }

    /// <summary>Reads one NUL-terminated string, requiring valid UTF-8 (plain ASCII for real clients).</summary>
    private static bool TryReadString(ref ReadOnlySpan<byte> rest, [NotNullWhen(true)] out string? value)
    {
        value = null;
        int nul = rest.IndexOf((byte)0);
        if (nul < 0)
        {
            return false;
        }
        ReadOnlySpan<byte> bytes = rest[..nul];
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }
        value = Encoding.UTF8.GetString(bytes);
        rest = rest[(nul + 1)..];
        return true;
    }

    private static bool TryWriteOptions(Span<byte> destination, ref int offset, IReadOnlyList<TftpOption> options)
    {
        foreach (TftpOption option in options)
        {
            if (!TryWriteString(destination, ref offset, option.Name) || !TryWriteString(destination, ref offset, option.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryWriteString(Span<byte> destination, ref int offset, string value)
    {
        // A NUL inside the string would end the field early on the wire.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        Span<byte> free = destination[offset..];
        if (Encoding.UTF8.GetMaxByteCount(value.Length) >= free.Length
            && Encoding.UTF8.GetByteCount(value) >= free.Length)
        {
            return false;
        }
        int length = Encoding.UTF8.GetBytes(value, free);
        free[length] = 0;
        offset += length + 1;
        return true;
    }
}
