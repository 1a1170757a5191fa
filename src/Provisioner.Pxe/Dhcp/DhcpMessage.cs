using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>The parts of a DHCP (BOOTP) message the appliance learns from.</summary>
public sealed record DhcpMessage
{
    /// <summary>1 BOOTREQUEST (client to server), 2 BOOTREPLY.</summary>
    public required byte Op { get; init; }

    public required uint TransactionId { get; init; }

    /// <summary>The client's hardware address (chaddr), <c>hlen</c> bytes.</summary>
    public required byte[] ClientHardwareAddress { get; init; }

    /// <summary>ciaddr: the client's address when it already has one (renewing, rebinding, INFORM, RELEASE).</summary>
    public required IPAddress ClientAddress { get; init; }

    /// <summary>hops: how many relay agents forwarded it (RFC 2131 §2, RFC 1542 §4.1.1).</summary>
    public byte Hops { get; init; }

    /// <summary>The broadcast bit of flags (RFC 2131 §2): the client cannot take a unicast before it has an address.</summary>
    public bool Broadcast { get; init; }

    /// <summary>giaddr: the relay agent that forwarded it, 0.0.0.0 when none.</summary>
    public IPAddress RelayAddress { get; init; } = IPAddress.Any;

    /// <summary>yiaddr: the address the server offers or assigns.</summary>
    public required IPAddress YourAddress { get; init; }

    public DhcpMessageType MessageType { get; init; }

    /// <summary>Option 50.</summary>
    public IPAddress? RequestedAddress { get; init; }

    /// <summary>Option 54: the server that answered, or that the client chose.</summary>
    public IPAddress? ServerIdentifier { get; init; }

    /// <summary>Option 12.</summary>
    public string? Hostname { get; init; }

    /// <summary>Option 60, such as <c>PXEClient:Arch:00000:UNDI:002001</c>.</summary>
    public string? VendorClass { get; init; }

    /// <summary>Option 93 (the first type listed).</summary>
    public DhcpClientArchitecture? Architecture { get; init; }

    /// <summary>Option 97: the 16-byte machine UUID (after its type byte 0).</summary>
    public Guid? ClientUuid { get; init; }

    /// <summary>Option 77, such as <c>iPXE</c>.</summary>
    public string? UserClass { get; init; }

    /// <summary>Option 61 (RFC 2132 §9.14), as sent: usually type 1 and the MAC again.</summary>
    public byte[]? ClientIdentifier { get; init; }

    /// <summary>Option 57 (RFC 2132 §9.10): the largest reply the client takes; null when it does not say.</summary>
    public ushort? MaxMessageSize { get; init; }

    /// <summary>Option 82 (RFC 3046), as the relay agent wrote it: the server echoes it unchanged.</summary>
    public byte[]? RelayAgentInformation { get; init; }

    public bool IsPxe => VendorClass?.StartsWith("PXEClient", StringComparison.Ordinal) == true;

    /// <summary>UEFI HTTP Boot (UEFI 2.5+ §24.7.2): the vendor class starts <c>HTTPClient</c> and the boot file is a URL.</summary>
    public bool IsHttpBoot => VendorClass?.StartsWith("HTTPClient", StringComparison.Ordinal) == true;
}
