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
            ClientAddress = new IPAddress(payload.Slice(12, 4)),
            YourAddress = new IPAddress(payload.Slice(16, 4)),
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
        // RFC 4578 §2.1: a list of 16-bit types; the first is the client's own.
        93 when value.Length >= 2 => message with { Architecture = (DhcpClientArchitecture)BinaryPrimitives.ReadUInt16BigEndian(value) },
        // RFC 4578 §2.3: type 0, then 16 bytes of UUID.
        97 when value.Length == 17 && value[0] == 0 => message with { ClientUuid = new Guid(value[1..], bigEndian: true) },
        _ => message,
    };

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
