using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Pxe.Logging;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// A ProxyDHCP server (PXE specification 2.1 §2.2): on each named interface, and only there, it
/// answers PXE clients' DISCOVERs on UDP 67 with an OFFER carrying boot information and no
/// address, and their REQUESTs on UDP 4011 with an ACK. Anything that is not a PXE client's request
/// is ignored: it never answers a plain DHCP client and never hands out an address.
/// </summary>
public sealed partial class ProxyDhcpServer(IOptions<ProxyDhcpOptions> options, IProxyDhcpHandler handler, ILogger<ProxyDhcpServer> logger) : IAsyncDisposable
{
    /// <summary>How a failed bind names this listener (<see cref="PortBindException.Listener"/>).</summary>
    public const string ListenerName = "ProxyDHCP";

    public const int DhcpServerPort = 67;
    public const int DhcpClientPort = 68;
    public const int PxePort = 4011;

    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly List<(Socket Socket, Task Loop)> _listeners = [];

    public long Ignored { get; private set; }

    /// <summary>Binds every socket now, so a busy port or a missing interface stops start-up with one line.</summary>
    public void Start()
    {
        if (options.Value.Interfaces.Count == 0)
        {
            throw new PortBindException("ProxyDHCP cannot listen: --proxy-dhcp needs --interface, and answers only on the provisioning interfaces named there");
        }
        foreach (string name in options.Value.Interfaces)
        {
            IPAddress server = InterfaceSocket.AddressOf(ListenerName, name, "name the provisioning interface with --interface").Address;
            foreach (int port in new[] { DhcpServerPort, PxePort })
            {
                Socket socket = InterfaceSocket.Bind(ListenerName, name, port);
                _listeners.Add((socket, Task.Run(() => ReceiveLoopAsync(socket, name, server, port, _stopping.Token))));
            }
            LogListening(name, server);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, string name, IPAddress server, int port, CancellationToken stopping)
    {
        byte[] buffer = new byte[1500];
        byte[] reply = new byte[1500];
        while (await ReceiveLoop.NextAsync(socket, buffer, stopping).ConfigureAwait(false) is { } received)
        {
            try
            {
                await AnswerAsync(socket, name, server, port, buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, reply, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, name);
            }
        }
    }

    private async Task AnswerAsync(Socket socket, string name, IPAddress server, int port, ReadOnlyMemory<byte> datagram, IPEndPoint peer, byte[] reply, CancellationToken stopping)
    {
        // On 67 a DISCOVER gets an OFFER; on 4011 a REQUEST gets an ACK (PXE 2.1 §2.2.5, §2.5).
        DhcpMessageType? answer = !DhcpWire.TryReadMessage(datagram.Span, out DhcpMessage? request) || request!.Op != 1 || !request.IsPxe ? null
            : port == DhcpServerPort && request.MessageType == DhcpMessageType.Discover ? DhcpMessageType.Offer
            : port == PxePort && request.MessageType == DhcpMessageType.Request ? DhcpMessageType.Ack
            : null;
        if (answer is null)
        {
            Ignored++;
            return;
        }
        string mac = Convert.ToHexString(request!.ClientHardwareAddress).ToLowerInvariant();
        using IDisposable? scope = LogScope.Begin(logger, mac: MacAddress.TryRead(request.ClientHardwareAddress, out MacAddress parsed) ? parsed.ToString() : null, peer: peer);
        string? bootFile = await handler.BootFileAsync(request, name, server, stopping).ConfigureAwait(false);
        if (bootFile is null)
        {
            LogSilent(mac, request.TransactionId, name);
            return;
        }
        if (!DhcpWire.TryWriteReply(reply, ProxyDhcpReplies.For(request, answer.Value, server, bootFile), out int written))
        {
            LogTooLong(mac, bootFile);
            return;
        }
        // An OFFER goes to the broadcast address (the client has none yet); an ACK back to where the REQUEST came from.
        IPEndPoint target = answer == DhcpMessageType.Offer ? new IPEndPoint(IPAddress.Broadcast, DhcpClientPort) : peer;
        await socket.SendToAsync(reply.AsMemory(0, written), SocketFlags.None, target, stopping).ConfigureAwait(false);
        LogAnswered(answer.Value, mac, request.TransactionId, name, bootFile);
    }

    /// <summary>Stops listening; safe to call twice (the hosted service stops it, then the container disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach ((Socket socket, Task loop) in _listeners)
        {
            socket.Dispose();
            await loop.ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ProxyDHCP answering PXE clients on {Interface} as {Server} (udp 67 and 4011)")]
    private partial void LogListening(string @interface, IPAddress server);

    [LoggerMessage(Level = LogLevel.Information, Message = "ProxyDHCP {Answer} to mac {Mac} xid {Xid:x8} on {Interface}: boot {BootFile}")]
    private partial void LogAnswered(DhcpMessageType answer, string mac, uint xid, string @interface, string bootFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "ProxyDHCP left mac {Mac} xid {Xid:x8} on {Interface} unanswered (policy)")]
    private partial void LogSilent(string mac, uint xid, string @interface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ProxyDHCP boot file for mac {Mac} is too long for the DHCP file field: {BootFile}")]
    private partial void LogTooLong(string mac, string bootFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ProxyDHCP could not answer on {Interface}")]
    private partial void LogFailed(Exception ex, string @interface);
}
