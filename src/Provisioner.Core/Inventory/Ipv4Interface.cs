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
        if (!TryParseAddress(addressText, out IPAddress? address))
        {
            error = $"'{text}' is not an IPv4 address like 192.0.2.10/24";
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

    /// <summary>Dotted-quad IPv4 only: IPAddress.TryParse would also take "1", "1.2" and hex forms.</summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        string[] parts = (text ?? string.Empty).Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }
        address = IPAddress.Parse(text!);
        return address.AddressFamily == AddressFamily.InterNetwork;
    }

    public IPAddress Netmask => FromUInt32(Mask);

    public IPAddress Network => FromUInt32(ToUInt32(Address) & Mask);

    public bool Contains(IPAddress other) => (ToUInt32(other) & Mask) == (ToUInt32(Address) & Mask);

    private bool IsNetworkAddress => (ToUInt32(Address) & ~Mask) == 0;

    private bool IsBroadcastAddress => (ToUInt32(Address) | Mask) == uint.MaxValue;

    private uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public override string ToString() => $"{Address}/{PrefixLength}";

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
