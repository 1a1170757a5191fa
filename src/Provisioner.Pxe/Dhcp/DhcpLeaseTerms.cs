using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>What a DHCP server's OFFER or ACK gives the client (RFC 2132 options); written by <see cref="DhcpServerReplies"/>.</summary>
public sealed record DhcpLeaseTerms
{
    /// <summary>yiaddr; 0.0.0.0 in the ACK to an INFORM (RFC 2131 §4.3.5).</summary>
    public IPAddress YourAddress { get; init; } = IPAddress.Any;

    /// <summary>Option 51, with T1 (58) at half and T2 (59) at seven eighths (RFC 2131 §4.4.5); null in an INFORM's ACK.</summary>
    public TimeSpan? LeaseTime { get; init; }

    /// <summary>Option 1.</summary>
    public IPAddress? SubnetMask { get; init; }

    /// <summary>Option 3.</summary>
    public IPAddress? Router { get; init; }

    /// <summary>Option 6.</summary>
    public IReadOnlyList<IPAddress> Dns { get; init; } = [];

    /// <summary>Option 15.</summary>
    public string? Domain { get; init; }

    /// <summary>Option 12: the name the client is given (a registered host's).</summary>
    public string? Hostname { get; init; }

    /// <summary>siaddr: the boot (TFTP) server, with <see cref="BootFile"/>.</summary>
    public IPAddress? BootServer { get; init; }

    /// <summary>file: a TFTP path, or an HTTP URL for UEFI HTTP Boot and iPXE; null: nothing to boot.</summary>
    public string? BootFile { get; init; }
}
