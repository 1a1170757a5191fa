using System.Net;
using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Dhcp;

internal sealed partial class DhcpAnswers
{
    // Debug: the ACK that follows says the same; at thousands of exchanges a second one line each is enough.
    [LoggerMessage(Level = LogLevel.Debug, Message = "DHCP offer {Address} to mac {Mac} ({Who})")]
    private partial void LogOffered(string mac, IPAddress address, string who);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHCP ack {Address} to mac {Mac} ({Who}) for {LeaseTime}")]
    private partial void LogBound(string mac, IPAddress address, string who, TimeSpan leaseTime);

    // Debug: a lease renewed is the usual (every host, every half lease); one Information line each
    // halved the server's rate under load (bench/dhcp.sh). First binds, NAKs and declines stay Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "DHCP ack {Address} to mac {Mac} ({Who}) for {LeaseTime}, renewed")]
    private partial void LogRenewed(string mac, IPAddress address, string who, TimeSpan leaseTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHCP nak {Address} to mac {Mac}: {Reason}")]
    private partial void LogNak(string mac, IPAddress address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHCP release of {Address} by mac {Mac}")]
    private partial void LogReleased(string mac, IPAddress address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP decline of {Address} by mac {Mac} ({Who}): another machine uses it; quarantined")]
    private partial void LogDeclined(string mac, IPAddress address, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP probe: {Address} answered a ping before it was offered to mac {Mac}; quarantined")]
    private partial void LogProbeAnswered(IPAddress address, string mac);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP cannot give host {Hostname} (mac {Mac}) its address {Address}: held by {Holder} ({State}) until {Until:u}")]
    private partial void LogReservedHeld(string mac, string hostname, IPAddress address, string holder, DhcpLeaseState state, DateTime until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP pool of {Subnet} has no free address for mac {Mac}")]
    private partial void LogPoolExhausted(string mac, string subnet);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP host {Hostname} (mac {Mac}) has address {Address}, which is not on {Subnet} where it asked; not answered")]
    private partial void LogHostElsewhere(string mac, string hostname, string address, string subnet);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHCP request from mac {Mac} via {Where}: no Dhcp:Subnets entry holds that address")]
    private partial void LogNoSubnet(Provisioner.Pxe.Net.MacAddress mac, IPAddress where);
}
