using System.Net;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Dhcp;

/// <summary>A range of IPv4 addresses, both ends included, as numbers (<see cref="Ipv4Interface.ToUInt32"/>).</summary>
public readonly record struct AddressRange(uint First, uint Last)
{
    public bool Contains(uint address) => address >= First && address <= Last;

    public bool Overlaps(AddressRange other) => First <= other.Last && other.First <= Last;

    public long Count => (long)Last - First + 1;

    /// <summary>Reads <c>192.0.2.100-192.0.2.199</c> (a single address is a range of one).</summary>
    public static bool TryParse(string? text, out AddressRange range, out string error)
    {
        range = default;
        string[] ends = (text ?? string.Empty).Split('-', StringSplitOptions.TrimEntries);
        if (ends.Length is not (1 or 2))
        {
            error = $"'{text}' is not a range like 192.0.2.100-192.0.2.199";
            return false;
        }
        if (!Ipv4Interface.TryParseAddress(ends[0], out IPAddress first, out error) || !Ipv4Interface.TryParseAddress(ends[^1], out IPAddress last, out error))
        {
            error = $"'{text}' is not a range like 192.0.2.100-192.0.2.199 ({error})";
            return false;
        }
        range = new AddressRange(Ipv4Interface.ToUInt32(first), Ipv4Interface.ToUInt32(last));
        if (range.First > range.Last)
        {
            error = $"'{text}' starts after it ends";
            return false;
        }
        return true;
    }

    public override string ToString() => $"{Ipv4Interface.FromUInt32(First)}-{Ipv4Interface.FromUInt32(Last)}";
}
