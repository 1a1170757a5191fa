using System.Globalization;

namespace Provisioner.Pxe.Net;

/// <summary>
/// An Ethernet MAC address. Parsed from the spellings operators paste (<c>aa:bb:cc:dd:ee:ff</c>,
/// <c>aa-bb-cc-dd-ee-ff</c>, Cisco's <c>aabb.ccdd.eeff</c>, bare <c>aabbccddeeff</c>, any case) and
/// always written one way: lower case with colons, the form stored in the inventory.
/// </summary>
public readonly record struct MacAddress
{
    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value;

    public static bool TryParse(string? text, out MacAddress mac)
    {
        mac = default;
        string? hex = Digits(text?.Trim());
        if (hex is null || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }
        mac = new MacAddress(value);
        return true;
    }

    /// <summary>The 12 hex digits of a well-formed spelling, or null.</summary>
    private static string? Digits(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        string? hex = text.Length switch
        {
            17 when Separated(text, ':') || Separated(text, '-') => text.Replace(text[2].ToString(), string.Empty, StringComparison.Ordinal),
            14 when text[4] == '.' && text[9] == '.' => text.Replace(".", string.Empty, StringComparison.Ordinal),
            12 => text,
            _ => null,
        };
        return hex is { Length: 12 } && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static bool Separated(string text, char separator)
    {
        for (int i = 2; i < text.Length; i += 3)
        {
            if (text[i] != separator)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>From the 6 bytes of a frame or a DHCP <c>chaddr</c>; false for any other length.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out MacAddress mac)
    {
        mac = default;
        if (bytes.Length != 6)
        {
            return false;
        }
        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }
        mac = new MacAddress(value);
        return true;
    }

    /// <summary>The canonical form: <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public override string ToString() => Join(':');

    /// <summary>The group bit (I/G, the lowest bit of the first octet): broadcast and multicast, never one NIC.</summary>
    public bool IsGroup => ((_value >> 40) & 1) == 1;

    /// <summary>00:00:00:00:00:00, which no NIC has.</summary>
    public bool IsZero => _value == 0;

    /// <summary>The name pxelinux asks for first: <c>01-aa-bb-cc-dd-ee-ff</c> (ARP type 1, Ethernet).</summary>
    public string PxelinuxConfigName => "01-" + Join('-');

    private string Join(char separator)
    {
        Span<char> chars = stackalloc char[17];
        for (int i = 0; i < 6; i++)
        {
            byte octet = (byte)(_value >> (8 * (5 - i)));
            octet.TryFormat(chars[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            if (i < 5)
            {
                chars[(i * 3) + 2] = separator;
            }
        }
        return new string(chars);
    }
}
