namespace Provisioner.Pxe.Dhcp;

/// <summary>DHCP message types (RFC 2132 §9.6, option 53).</summary>
public enum DhcpMessageType : byte
{
    None = 0,
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
    Inform = 8,
}
