using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Provisioner.Pxe.Dhcp;

/// <summary>The OFFER, ACK and NAK of a DHCP server (RFC 2131 §4.3.1–§4.3.5, table 3).</summary>
public static class DhcpServerReplies
{
    /// <summary>An OFFER or ACK with <paramref name="terms"/>; boot information for PXE, HTTP Boot and iPXE clients when there is a boot file.</summary>
    public static DhcpReply For(DhcpMessage request, DhcpMessageType type, IPAddress server, DhcpLeaseTerms terms)
    {
        var options = new List<(byte Code, byte[] Value)> { (53, [(byte)type]), (54, server.GetAddressBytes()) };
        if (terms.LeaseTime is { } lease)
        {
            uint seconds = (uint)Math.Min(lease.TotalSeconds, uint.MaxValue - 1);
            options.Add((51, Seconds(seconds)));
            options.Add((58, Seconds(seconds / 2)));
            options.Add((59, Seconds((uint)(seconds * 7UL / 8))));
        }
        if (terms.SubnetMask is { } mask)
        {
            options.Add((1, mask.GetAddressBytes()));
        }
        if (terms.Router is { } router)
        {
            options.Add((3, router.GetAddressBytes()));
        }
        if (terms.Dns.Count > 0)
        {
            options.Add((6, [.. terms.Dns.Take(63).SelectMany(d => d.GetAddressBytes())]));
        }
        AddText(options, 15, terms.Domain);
        AddText(options, 12, terms.Hostname);
        bool boots = terms.BootFile is not null && (request.IsPxe || request.IsHttpBoot || request.UserClass == "iPXE");
        if (boots && (request.IsPxe || request.IsHttpBoot))
        {
            PxeReplyOptions.Add(options, request);
        }
        AddRelayInformation(options, request);
        return new DhcpReply(request.TransactionId, request.ClientHardwareAddress, options)
        {
            Hops = request.Hops,
            // RFC 2131 table 3: ciaddr is the request's in an ACK (renewing, INFORM), 0 in an OFFER.
            ClientAddress = type == DhcpMessageType.Ack ? request.ClientAddress : IPAddress.Any,
            YourAddress = terms.YourAddress,
            RelayAddress = request.RelayAddress,
            ServerAddress = boots ? terms.BootServer ?? server : IPAddress.Any,
            BootFile = boots ? terms.BootFile : null,
            Broadcast = request.Broadcast,
        };
    }

    /// <summary>A NAK (RFC 2131 §4.3.2): the client's address is wrong here; it starts again with a DISCOVER. <paramref name="message"/> is option 56.</summary>
    public static DhcpReply Nak(DhcpMessage request, IPAddress server, string message)
    {
        var options = new List<(byte Code, byte[] Value)> { (53, [(byte)DhcpMessageType.Nak]), (54, server.GetAddressBytes()) };
        AddText(options, 56, message);
        AddRelayInformation(options, request);
        return new DhcpReply(request.TransactionId, request.ClientHardwareAddress, options)
        {
            Hops = request.Hops,
            RelayAddress = request.RelayAddress,
            // §4.3.2: through a relay, the broadcast bit tells it to broadcast the NAK on the client's network.
            Broadcast = !request.RelayAddress.Equals(IPAddress.Any) || request.Broadcast,
        };
    }

    /// <summary>RFC 3046 §2.2: the relay agent's option 82 is copied back unchanged, as the last option.</summary>
    private static void AddRelayInformation(List<(byte Code, byte[] Value)> options, DhcpMessage request)
    {
        if (request.RelayAgentInformation is { } information)
        {
            options.Add((82, information));
        }
    }

    private static void AddText(List<(byte Code, byte[] Value)> options, byte code, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            byte[] value = Encoding.ASCII.GetBytes(text);
            options.Add((code, value.Length > 255 ? value[..255] : value));
        }
    }

    private static byte[] Seconds(uint seconds)
    {
        byte[] value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, seconds);
        return value;
    }
}
