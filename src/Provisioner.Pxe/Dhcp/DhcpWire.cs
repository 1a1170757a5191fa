using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// Reads DHCP messages (RFC 2131) from UDP payloads. Malformed input returns false, never throws:
/// it comes from the wire, from any machine on the segment.
/// </summary>
public static class DhcpWire
{
    /// <summary>RFC 2131 §2: op..file is 236 bytes, then the 4-byte magic cookie (RFC 2132 §2).</summary>
    public const int FixedLength = 236;
    private const uint MagicCookie = 0x63825363;

    public static bool TryReadMessage(ReadOnlySpan<byte> payload, out DhcpMessage? message)
    {
        message = null;
        if (payload.Length < FixedLength + 4 || BinaryPrimitives.ReadUInt32BigEndian(payload[FixedLength..]) != MagicCookie)
        {
            return false;
        }
        byte op = payload[0];
        byte hlen = payload[2];
        // RFC 2131 §2: chaddr is 16 bytes; hlen says how many are used (6 for Ethernet).
        if (op is not (1 or 2) || hlen is 0 or > 16)
        {
            return false;
        }
        var parsed = new DhcpMessage
        {
            Op = op,
            TransactionId = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]),
            Hops = payload[3],
            Broadcast = (payload[10] & 0x80) != 0,
            ClientAddress = new IPAddress(payload.Slice(12, 4)),
            YourAddress = new IPAddress(payload.Slice(16, 4)),
            RelayAddress = new IPAddress(payload.Slice(24, 4)),
            ClientHardwareAddress = payload.Slice(28, hlen).ToArray(),
        };
        if (!TryReadOptions(payload[(FixedLength + 4)..], ref parsed))
        {
            return false;
        }
        message = parsed;
        return true;
    }

    /// <summary>RFC 2132 §2: code, length, value; 0 is padding, 255 ends the list.</summary>
    private static bool TryReadOptions(ReadOnlySpan<byte> options, ref DhcpMessage message)
    {
        int i = 0;
        while (i < options.Length)
        {
            byte code = options[i++];
            if (code == 0)
            {
                continue;
            }
            if (code == 255)
            {
                return true;
            }
            if (i >= options.Length || i + 1 + options[i] > options.Length)
            {
                return false;
            }
            ReadOnlySpan<byte> value = options.Slice(i + 1, options[i]);
            i += 1 + value.Length;
            message = Apply(code, value, message);
        }
        // No end option: tolerated (some clients pad to the end), the options read are whole.
        return true;
    }

    private static DhcpMessage Apply(byte code, ReadOnlySpan<byte> value, DhcpMessage message) => code switch
    {
        53 when value.Length == 1 => message with { MessageType = (DhcpMessageType)value[0] },
        50 when value.Length == 4 => message with { RequestedAddress = new IPAddress(value) },
        54 when value.Length == 4 => message with { ServerIdentifier = new IPAddress(value) },
        12 when value.Length > 0 => message with { Hostname = Text(value) },
        60 when value.Length > 0 => message with { VendorClass = Text(value) },
        // RFC 3004 wants length-prefixed classes; iPXE sends its name bare. Both read as "iPXE".
        77 when value.Length > 1 && value[0] == value.Length - 1 => message with { UserClass = Text(value[1..]) },
        77 when value.Length > 0 => message with { UserClass = Text(value) },
        // RFC 4578 §2.1: a list of 16-bit types; the first is the client's own.
        93 when value.Length >= 2 => message with { Architecture = (DhcpClientArchitecture)BinaryPrimitives.ReadUInt16BigEndian(value) },
        // RFC 4578 §2.3: type 0, then 16 bytes of UUID.
        97 when value.Length == 17 && value[0] == 0 => message with { ClientUuid = new Guid(value[1..], bigEndian: true) },
        // RFC 2132 §9.14: a type and at least one byte.
        61 when value.Length >= 2 => message with { ClientIdentifier = value.ToArray() },
        // RFC 2132 §9.10: at least 576.
        57 when value.Length == 2 && BinaryPrimitives.ReadUInt16BigEndian(value) >= 576 => message with { MaxMessageSize = BinaryPrimitives.ReadUInt16BigEndian(value) },
        82 when value.Length > 0 => message with { RelayAgentInformation = value.ToArray() },
        _ => message,
    };

    /// <summary>
    /// Writes a BOOTREPLY (RFC 2131 §2, §4.3.1) into <paramref name="buffer"/>, padded to the
    /// 300 bytes BOOTP relays and old clients expect (RFC 1542 §2.1); false when it does not fit
    /// or a field is too long.
    /// </summary>
    public static bool TryWriteReply(Span<byte> buffer, DhcpReply reply, out int written)
    {
        written = 0;
        const int minimum = 300;
        int length = FixedLength + 4 + reply.Options.Sum(o => 2 + o.Value.Length) + 1;
        byte[] sname = Encoding.ASCII.GetBytes(reply.ServerName ?? string.Empty);
        byte[] file = Encoding.ASCII.GetBytes(reply.BootFile ?? string.Empty);
        if (buffer.Length < Math.Max(length, minimum) || reply.ClientHardwareAddress.Length is 0 or > 16
            || sname.Length > 63 || file.Length > 127 || reply.Options.Any(o => o.Value.Length > 255))
        {
            return false;
        }
        Span<byte> packet = buffer[..Math.Max(length, minimum)];
        packet.Clear();
        packet[0] = 2;
        packet[1] = 1;
        packet[2] = (byte)reply.ClientHardwareAddress.Length;
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], reply.TransactionId);
        // RFC 2131 §4.1: the broadcast bit, for clients that cannot take unicast before they have an address.
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], reply.Broadcast ? (ushort)0x8000 : (ushort)0);
        packet[3] = reply.Hops;
        reply.ClientAddress.TryWriteBytes(packet.Slice(12, 4), out _);
        reply.YourAddress.TryWriteBytes(packet.Slice(16, 4), out _);
        reply.ServerAddress.TryWriteBytes(packet.Slice(20, 4), out _);
        reply.RelayAddress.TryWriteBytes(packet.Slice(24, 4), out _);
        reply.ClientHardwareAddress.CopyTo(packet[28..]);
        sname.CopyTo(packet[44..]);
        file.CopyTo(packet[108..]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[FixedLength..], MagicCookie);
        int at = FixedLength + 4;
        foreach ((byte code, byte[] value) in reply.Options)
        {
            packet[at++] = code;
            packet[at++] = (byte)value.Length;
            value.CopyTo(packet[at..]);
            at += value.Length;
        }
        packet[at] = 255;
        written = packet.Length;
        return true;
    }

    /// <summary>Printable ASCII only: names go into logs and the UI.</summary>
    private static string Text(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in value)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }
        return text.ToString().TrimEnd('\0', '?');
    }
}
