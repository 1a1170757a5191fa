using System.Net;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Capture;

/// <summary>What one captured frame says about the segment.</summary>
public abstract record Observation(DateTimeOffset At, MacAddress SourceMac);

/// <summary>A DHCP message seen on the wire (client or server side).</summary>
public sealed record DhcpObservation(DateTimeOffset At, MacAddress SourceMac, IPAddress Source, DhcpMessage Message) : Observation(At, SourceMac)
{
    /// <summary>The client the message is about: its chaddr, whoever sent it.</summary>
    public MacAddress? ClientMac => MacAddress.TryRead(Message.ClientHardwareAddress, out MacAddress mac) ? mac : null;
}

/// <summary>An ARP request or reply: the sender's IP↔MAC binding.</summary>
public sealed record ArpObservation(DateTimeOffset At, MacAddress SourceMac, bool IsReply, MacAddress SenderMac, IPAddress SenderIp, IPAddress TargetIp)
    : Observation(At, SourceMac)
{
    /// <summary>Gratuitous ARP announces the sender's own address (RFC 5227 §3): sender and target IP are the same.</summary>
    public bool IsGratuitous => SenderIp.Equals(TargetIp);
}
