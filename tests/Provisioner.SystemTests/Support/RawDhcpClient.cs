using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A DHCP client written for the tests, one message at a time, so a test can stop between OFFER and
/// REQUEST (and restart the server there), act as a relay agent, or send what real clients seldom
/// do (INFORM). It sends from UDP 68 on <c>eth0</c> of a client namespace (or from 67, as a relay);
/// replies are read with the appliance's own parser.
/// </summary>
internal sealed class RawDhcpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _server;

    private RawDhcpClient(Socket socket, IPEndPoint server)
    {
        _socket = socket;
        _server = server;
    }

    /// <summary>A client on <paramref name="device"/> in <paramref name="ns"/>, port 68 (67 as a relay), sending to <paramref name="server"/> (broadcast by default).</summary>
    public static RawDhcpClient Open(NetworkNamespace ns, string device = "eth0", int port = 68, IPEndPoint? server = null) =>
        new(NamespaceSocket.Create(ns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
            socket.SetRawSocketOption(1, 25, Encoding.ASCII.GetBytes(device + "\0")); // SO_BINDTODEVICE
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return socket;
        }), server ?? new IPEndPoint(IPAddress.Broadcast, 67));

    /// <summary>One message; <paramref name="options"/> after option 53, in order.</summary>
    public async Task SendAsync(byte[] mac, uint xid, DhcpMessageType type, IEnumerable<(byte Code, byte[] Value)> options, IPAddress? ciaddr = null, IPAddress? giaddr = null)
    {
        byte[] packet = new byte[548];
        packet[0] = 1;
        packet[1] = 1;
        packet[2] = 6;
        packet[3] = giaddr is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), xid);
        packet[10] = 0x80;
        (ciaddr ?? IPAddress.Any).TryWriteBytes(packet.AsSpan(12, 4), out _);
        (giaddr ?? IPAddress.Any).TryWriteBytes(packet.AsSpan(24, 4), out _);
        mac.CopyTo(packet, 28);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(236), 0x63825363);
        int at = 240;
        (byte Code, byte[] Value)[] all = [(53, [(byte)type]), .. options];
        foreach ((byte code, byte[] value) in all)
        {
            packet[at++] = code;
            packet[at++] = (byte)value.Length;
            value.CopyTo(packet, at);
            at += value.Length;
        }
        packet[at] = 255;
        await _socket.SendToAsync(packet, SocketFlags.None, _server);
    }

    /// <summary>A reply as read, with its raw bytes for the options <see cref="DhcpMessage"/> does not name.</summary>
    internal sealed record Reply(DhcpMessage Message, byte[] Raw, IPEndPoint From)
    {
        /// <summary>Option <paramref name="code"/>'s value, or null.</summary>
        public byte[]? Option(byte code)
        {
            int at = 240;
            while (at < Raw.Length && Raw[at] != 255)
            {
                if (Raw[at] == 0)
                {
                    at++;
                    continue;
                }
                if (Raw[at] == code)
                {
                    return Raw.AsSpan(at + 2, Raw[at + 1]).ToArray();
                }
                at += 2 + Raw[at + 1];
            }
            return null;
        }

        public IPAddress? AddressOption(byte code) => Option(code) is { Length: 4 } value ? new IPAddress(value) : null;

        public uint? NumberOption(byte code) => Option(code) is { Length: 4 } value ? BinaryPrimitives.ReadUInt32BigEndian(value) : null;

        public string? Text(byte code) => Option(code) is { } value ? Encoding.ASCII.GetString(value) : null;

        public DhcpMessageType Type => Message.MessageType;

        public IPAddress YourAddress => Message.YourAddress;

        /// <summary>The broadcast bit of the reply's flags.</summary>
        public bool Broadcast => (Raw[10] & 0x80) != 0;
    }

    /// <summary>Any bytes, as they are (for fuzzing).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> datagram) => await _socket.SendToAsync(datagram, SocketFlags.None, _server);

    /// <summary>The next reply with <paramref name="xid"/>, or null when none comes within <paramref name="wait"/>.</summary>
    public async Task<Reply?> ReceiveAsync(uint xid, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        byte[] buffer = new byte[2048];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (DhcpWire.TryReadMessage(buffer.AsSpan(0, received.ReceivedBytes), out DhcpMessage? reply) && reply!.Op == 2 && reply.TransactionId == xid)
            {
                return new Reply(reply, buffer.AsSpan(0, received.ReceivedBytes).ToArray(), (IPEndPoint)received.RemoteEndPoint);
            }
        }
    }

    /// <summary>Sends, then waits for the reply (resending every 2 s, as a client does, up to <paramref name="wait"/>).</summary>
    public async Task<Reply?> ExchangeAsync(byte[] mac, uint xid, DhcpMessageType type, IEnumerable<(byte Code, byte[] Value)> options, TimeSpan wait, IPAddress? ciaddr = null, IPAddress? giaddr = null)
    {
        (byte Code, byte[] Value)[] list = [.. options];
        DateTime until = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < until)
        {
            await SendAsync(mac, xid, type, list, ciaddr, giaddr);
            if (await ReceiveAsync(xid, TimeSpan.FromSeconds(2)) is { } reply)
            {
                return reply;
            }
        }
        return null;
    }

    public static byte[] Address(string address) => IPAddress.Parse(address).GetAddressBytes();

    public static byte[] Mac(string mac) => Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal));

    public void Dispose() => _socket.Dispose();
}
