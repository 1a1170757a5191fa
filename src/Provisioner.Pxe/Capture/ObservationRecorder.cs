using System.Net;
using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Pxe.Capture;

/// <summary>Keeps the IP→MAC bindings that observations prove.</summary>
internal sealed class ObservationRecorder(IIpMacBindings bindings)
{
    public void Record(Observation observation)
    {
        switch (observation)
        {
            // An ARP probe (RFC 5227 §2.1.1) has sender IP 0.0.0.0: it claims nothing yet.
            case ArpObservation arp when !arp.SenderIp.Equals(IPAddress.Any):
                bindings.Record(arp.SenderIp, arp.SenderMac, arp.At);
                break;
            case DhcpObservation { ClientMac: { } client } dhcp:
                RecordDhcp(dhcp, client);
                break;
        }
    }

    private void RecordDhcp(DhcpObservation dhcp, MacAddress client)
    {
        DhcpMessage message = dhcp.Message;
        // The server's ACK assigns yiaddr to the client (RFC 2131 §3.1 step 5); a renewing client
        // or an INFORM carries its address in ciaddr.
        if (message.MessageType == DhcpMessageType.Ack && !message.YourAddress.Equals(IPAddress.Any))
        {
            bindings.Record(message.YourAddress, client, dhcp.At);
        }
        else if (message.Op == 1 && !message.ClientAddress.Equals(IPAddress.Any))
        {
            bindings.Record(message.ClientAddress, client, dhcp.At);
        }
    }
}
