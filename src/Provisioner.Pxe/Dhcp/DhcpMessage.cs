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

    public required IPAddress ClientAddress { get; init; }

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

    public bool IsPxe => VendorClass?.StartsWith("PXEClient", StringComparison.Ordinal) == true;
}
