using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Core.Inventory;

/// <summary>An IPv4 address with its prefix length, written <c>192.0.2.10/24</c>.</summary>
public readonly record struct Ipv4Interface(IPAddress Address, int PrefixLength)
{
    /// <summary>A stored address (<c>a.b.c.d</c>) as a number, for numeric order; 0 for text that is not one.</summary>
    public static uint SortKey(string address) =>
        IPAddress.TryParse(address, out IPAddress? parsed) && parsed.AddressFamily == AddressFamily.InterNetwork
            ? BinaryPrimitives.ReadUInt32BigEndian(parsed.GetAddressBytes())
            : 0;

    /// <summary>Parses <c>a.b.c.d/n</c>; a bare address takes <paramref name="defaultPrefix"/> when given.</summary>
    public static bool TryParse(string? text, int? defaultPrefix, out Ipv4Interface value, out string error)
    {
        value = default;
        string trimmed = text?.Trim() ?? string.Empty;
        int slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!TryParseAddress(addressText, out IPAddress address, out error))
        {
            error = error.Contains("leading zero", StringComparison.Ordinal) ? error : $"'{text}' is not an IPv4 address like 192.0.2.10/24";
            return false;
        }
        int prefix;
        if (slash < 0)
        {
            if (defaultPrefix is not { } fallback)
            {
                error = $"'{text}' has no prefix length (write it as {addressText}/24)";
                return false;
            }
            prefix = fallback;
        }
        else if (!int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            error = $"'{text}' has no valid prefix length after '/'";
            return false;
        }
        if (prefix is < 1 or > 32)
        {
            error = $"prefix length {prefix} is not between 1 and 32";
            return false;
        }
        value = new Ipv4Interface(address, prefix);
        if (prefix <= 30 && (value.IsNetworkAddress || value.IsBroadcastAddress))
        {
            error = $"{address} is the {(value.IsNetworkAddress ? "network" : "broadcast")} address of {value.Network}/{prefix}, not a host address";
            return false;
        }
        error = string.Empty;
        return true;
    }

    /// <summary>Dotted-quad IPv4 only, each octet plain decimal: see <see cref="TryParseAddress(string?, out IPAddress, out string)"/>.</summary>
    public static bool TryParseAddress(string? text, out IPAddress address) => TryParseAddress(text, out address, out _);

    /// <summary>
    /// Four decimal octets, 0-255, with no leading zeros. IPAddress.TryParse would also take "1", "1.2"
    /// and hex forms, and reads a leading zero as octal (inet_aton's rule: 192.0.2.010 is 192.0.2.8,
    /// while most people and tools mean 192.0.2.10), so an ambiguous octet is refused, not guessed.
    /// </summary>
    public static bool TryParseAddress(string? text, out IPAddress address, out string error)
    {
        address = IPAddress.None;
        string[] parts = (text ?? string.Empty).Split('.');
        Span<byte> octets = stackalloc byte[4];
        if (parts.Length != 4)
        {
            error = $"'{text}' is not an IPv4 address like 192.0.2.10";
            return false;
        }
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || int.Parse(part, CultureInfo.InvariantCulture) is > 255)
            {
                error = $"'{text}' is not an IPv4 address like 192.0.2.10";
                return false;
            }
            if (part.Length > 1 && part[0] == '0')
            {
                error = $"'{text}' has an octet with a leading zero ({part}), which some tools read as octal: write it without the zero";
                return false;
            }
            octets[i] = byte.Parse(part, CultureInfo.InvariantCulture);
        }
        address = new IPAddress(octets);
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Why no machine can be given this address to boot and install with, or null when it can:
    /// "this network" (0/8), loopback (127/8), link-local (169.254/16), multicast (224/4),
    /// reserved (240/4) and the limited broadcast address (RFC 6890).
    /// </summary>
    public static string? Unusable(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return b[0] switch
        {
            0 => $"{address} is in 0.0.0.0/8 (\"this network\"), not a host address",
            127 => $"{address} is a loopback address (127.0.0.0/8): it never leaves a machine",
            169 when b[1] == 254 => $"{address} is link-local (169.254.0.0/16), which hosts pick for themselves",
            >= 224 and <= 239 => $"{address} is a multicast address (224.0.0.0/4), not one host's",
            255 when address.Equals(IPAddress.Broadcast) => $"{address} is the broadcast address",
            >= 240 => $"{address} is reserved (240.0.0.0/4)",
            _ => null,
        };
    }

    public IPAddress Netmask => FromUInt32(Mask);

    public IPAddress Network => FromUInt32(ToUInt32(Address) & Mask);

    public bool Contains(IPAddress other) => (ToUInt32(other) & Mask) == (ToUInt32(Address) & Mask);

    private bool IsNetworkAddress => (ToUInt32(Address) & ~Mask) == 0;

    private bool IsBroadcastAddress => (ToUInt32(Address) | Mask) == uint.MaxValue;

    private uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public override string ToString() => $"{Address}/{PrefixLength}";

    /// <summary>The address as a number in network order (192.0.2.1 is 0xC0000201).</summary>
    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
