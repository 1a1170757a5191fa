using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Boot;

/// <summary>
/// Acts on what capture observes, off the capture thread: IP→MAC bindings from ARP and DHCP; PXE
/// DHCP requests of unknown MACs onto the discovered list, and of registered hosts onto the bus
/// (build tracking decides what they mean).
/// </summary>
internal sealed partial class ObservationRecorder(IIpMacBindings bindings, HostDirectory hosts, DiscoveredMachines discovered,
    IEventBus bus, ILogger<ObservationRecorder> logger, DhcpServerTrust? trust = null)
    : BackgroundService
{
    /// <summary>Observations that may wait; a burst beyond this loses the oldest, never blocks capture.</summary>
    public const int Capacity = 4096;

    private readonly Channel<Observation> _queue = Channel.CreateBounded<Observation>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Post(Observation observation) => _queue.Writer.TryWrite(observation);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (Observation observation in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await RecordAsync(observation, stoppingToken).ConfigureAwait(false);
        }
    }

    public async Task RecordAsync(Observation observation, CancellationToken cancellationToken)
    {
        switch (observation)
        {
            // An ARP probe (RFC 5227 §2.1.1) has sender IP 0.0.0.0: it claims nothing yet.
            case ArpObservation arp when !arp.SenderIp.Equals(IPAddress.Any):
                Bind(arp.SenderIp, arp.SenderMac, arp.At, "ARP");
                break;
            case DhcpObservation { ClientMac: { } client } dhcp:
                RecordBinding(dhcp, client);
                if (dhcp.Message is { Op: 1, IsPxe: true, MessageType: DhcpMessageType.Discover or DhcpMessageType.Request })
                {
                    await RecordPxeAsync(dhcp, client, cancellationToken).ConfigureAwait(false);
                }
                else if (dhcp.Message is { Op: 2, ServerIdentifier: { } server })
                {
                    discovered.Answered(client, server.ToString());
                }
                break;
        }
    }

    private void RecordBinding(DhcpObservation dhcp, MacAddress client)
    {
        DhcpMessage message = dhcp.Message;
        // The server's ACK assigns yiaddr to the client (RFC 2131 §3.1 step 5); a renewing client
        // or an INFORM carries its address in ciaddr.
        if (message.MessageType == DhcpMessageType.Ack && !message.YourAddress.Equals(IPAddress.Any))
        {
            // Vouched for only by a server the appliance knows (the server identifier, else the sender).
            bool vouched = trust?.Trusts(message.ServerIdentifier ?? dhcp.Source) == true;
            Bind(message.YourAddress, client, dhcp.At, "DHCP", vouched);
        }
        else if (message.Op == 1 && !message.ClientAddress.Equals(IPAddress.Any))
        {
            Bind(message.ClientAddress, client, dhcp.At, "DHCP");
        }
    }

    private void Bind(IPAddress ip, MacAddress mac, DateTimeOffset at, string protocol, bool vouched = false)
    {
        BindingChange change = bindings.Record(ip, mac, at, out IpMacBinding? previous, vouched);
        if (change == BindingChange.None || previous is null)
        {
            return;
        }
        string message = change == BindingChange.IpClaimedByAnotherMac
            ? $"{ip} is claimed by {mac} ({protocol}), last seen with {previous.Mac} at {previous.LastSeen:u}"
            : $"{mac} moved from {previous.Ip} to {ip} ({protocol})";
        LogBindingChanged(message);
        bus.Publish(new BindingChanged(at, ip, mac.ToString(), change.ToString(), message));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capture: {Message}; check for a duplicate address or a second DHCP server")]
    private partial void LogBindingChanged(string message);

    private async Task RecordPxeAsync(DhcpObservation dhcp, MacAddress client, CancellationToken cancellationToken)
    {
        DhcpMessage message = dhcp.Message;
        string architecture = DhcpClientArchitectures.Describe(message) ?? "unknown";
        HostRecord? host = await hosts.FindByMacAsync(client, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            IPAddress? ip = message.RequestedAddress ?? (message.ClientAddress.Equals(IPAddress.Any) ? null : message.ClientAddress);
            discovered.Seen(client, message.VendorClass, architecture, ip?.ToString(), message.Hostname, message.ClientUuid, dhcp.At);
        }
        else
        {
            bus.Publish(new PxeDhcpObserved(dhcp.At, host.Mac, architecture));
        }
    }
}
