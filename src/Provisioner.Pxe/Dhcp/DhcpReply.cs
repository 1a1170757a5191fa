using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>A BOOTREPLY to write with <see cref="DhcpWire.TryWriteReply"/>; options in the order given (53 first, by RFC 2131 custom).</summary>
public sealed record DhcpReply(uint TransactionId, byte[] ClientHardwareAddress, IReadOnlyList<(byte Code, byte[] Value)> Options)
{
    public IPAddress ClientAddress { get; init; } = IPAddress.Any;

    /// <summary>yiaddr: the address given to the client; 0.0.0.0 from ProxyDHCP, in a NAK and an INFORM's ACK.</summary>
    public IPAddress YourAddress { get; init; } = IPAddress.Any;

    /// <summary>hops, copied from the request (RFC 1542 §4.1.2).</summary>
    public byte Hops { get; init; }

    /// <summary>siaddr: the next server (TFTP).</summary>
    public IPAddress ServerAddress { get; init; } = IPAddress.Any;

    public IPAddress RelayAddress { get; init; } = IPAddress.Any;

    /// <summary>sname, up to 63 characters.</summary>
    public string? ServerName { get; init; }

    /// <summary>file: the boot file, up to 127 characters.</summary>
    public string? BootFile { get; init; }

    public bool Broadcast { get; init; }
}
