using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Pxe.Logging;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// A DHCP server's listener (RFC 2131): on each named interface, and only there, it reads client
/// messages on UDP 67, hands each to the <see cref="IDhcpHandler"/> and sends its reply where
/// RFC 2131 §4.1 says (<see cref="DhcpDestination"/>). It knows nothing of leases or booting.
/// Malformed messages, replies from other servers and floods from one client are dropped and
/// counted (<see cref="Counters"/>), never an exception.
/// </summary>
public sealed partial class DhcpServer(IOptions<DhcpServerOptions> options, IDhcpHandler handler, TimeProvider time, ILogger<DhcpServer> logger) : IAsyncDisposable
{
    /// <summary>How a failed bind names this listener (<see cref="PortBindException.Listener"/>).</summary>
    public const string ListenerName = "DHCP server";

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Socket, Task Loop)> _listeners = [];
    private readonly DhcpRateLimit _rate = new(options.Value.MaxMessagesPerClientPerSecond, time);
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentRequests);
    private int _disposed;

    public DhcpServerCounters Counters { get; } = new();

    /// <summary>The interfaces served, with the address found on each: known once <see cref="Start"/> returned.</summary>
    public IReadOnlyList<DhcpListenerInterface> Interfaces { get; private set; } = [];

    /// <summary>The interfaces as they are now, without listening: what start-up checks the configuration against.</summary>
    public IReadOnlyList<DhcpListenerInterface> FindInterfaces()
    {
        if (options.Value.Interfaces.Count == 0)
        {
            throw new PortBindException("the DHCP server cannot listen: --dhcp needs --interface, and serves only the provisioning interfaces named there");
        }
        return [.. options.Value.Interfaces.Select(name =>
        {
            (IPAddress address, int prefix) = InterfaceSocket.AddressOf(ListenerName, name, "name the provisioning interface with --interface");
            return new DhcpListenerInterface(name, address, prefix);
        })];
    }

    /// <summary>Binds every socket now, so a busy port or a missing interface stops start-up with one line.</summary>
    public void Start()
    {
        Interfaces = FindInterfaces();
        foreach (DhcpListenerInterface on in Interfaces)
        {
            Socket socket = InterfaceSocket.Bind(ListenerName, on.Name, DhcpDestination.ServerPort);
            // Room for a burst (a rack powered on at once sends a few hundred messages), and no more:
            // beyond what the server answers in a fraction of a second, a queue only makes every
            // answer late (clients give up on an exchange after a second or so), so the kernel drops the excess.
            socket.ReceiveBufferSize = 256 << 10;
            _listeners.Add((socket, Task.Run(() => ReceiveLoopAsync(socket, on, _stopping.Token))));
            LogListening(on.Name, on.Address, on.PrefixLength);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, DhcpListenerInterface on, CancellationToken stopping)
    {
        byte[] buffer = new byte[2048];
        while (await ReceiveLoop.NextAsync(socket, buffer, stopping).ConfigureAwait(false) is { } received)
        {
            Counters.Received();
            DhcpMessage? request = Accept(buffer.AsSpan(0, received.ReceivedBytes));
            if (request is null)
            {
                continue;
            }
            try
            {
                await _slots.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = AnswerAsync(socket, on, request, (IPEndPoint)received.RemoteEndPoint, stopping);
        }
    }

    /// <summary>The message when it is a client's request worth answering; null (counted) when it is not.</summary>
    private DhcpMessage? Accept(ReadOnlySpan<byte> datagram)
    {
        if (!DhcpWire.TryReadMessage(datagram, out DhcpMessage? request) || request!.MessageType is DhcpMessageType.None or > DhcpMessageType.Inform)
        {
            Counters.Malformed();
            return null;
        }
        // Another server's reply, or a relay's copy of one, is not ours to answer.
        if (request.Op != 1 || request.MessageType is DhcpMessageType.Offer or DhcpMessageType.Ack or DhcpMessageType.Nak)
        {
            Counters.Ignored();
            return null;
        }
        if (!_rate.Allow(request.ClientHardwareAddress))
        {
            Counters.RateLimited();
            return null;
        }
        return request;
    }

    private async Task AnswerAsync(Socket socket, DhcpListenerInterface on, DhcpMessage request, IPEndPoint peer, CancellationToken stopping)
    {
        try
        {
            string mac = MacAddress.TryRead(request.ClientHardwareAddress, out MacAddress parsed) ? parsed.ToString() : Convert.ToHexString(request.ClientHardwareAddress).ToLowerInvariant();
            using IDisposable? scope = LogScope.Begin(logger, mac: mac, peer: peer);
            DhcpReply? reply = await handler.AnswerAsync(request, on, stopping).ConfigureAwait(false);
            if (reply is null)
            {
                Counters.Silent();
                return;
            }
            byte[] packet = new byte[1500];
            // RFC 2131 §2: a client takes 576-byte messages unless it says more (option 57).
            if (!DhcpWire.TryWriteReply(packet, reply, out int written) || written > (request.MaxMessageSize ?? 576))
            {
                LogTooLong(mac, request.TransactionId);
                Counters.Silent();
                return;
            }
            DhcpMessageType type = (DhcpMessageType)reply.Options[0].Value[0];
            await socket.SendToAsync(packet.AsMemory(0, written), SocketFlags.None, DhcpDestination.For(request, type), stopping).ConfigureAwait(false);
            Counters.Answered(type);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
        {
            // Stopping: the answer is not sent; the client asks again.
        }
        catch (Exception ex)
        {
            Counters.Failed();
            LogFailed(ex, on.Name, request.MessageType);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Stops listening and waits for the answers under way; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach ((Socket socket, Task loop) in _listeners)
        {
            await loop.ConfigureAwait(false);
        }
        // Every slot back: no answer is still using a socket.
        for (int i = 0; i < options.Value.MaxConcurrentRequests; i++)
        {
            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        foreach ((Socket socket, _) in _listeners)
        {
            socket.Dispose();
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DHCP server on {Interface} as {Address}/{PrefixLength} (udp 67)")]
    private partial void LogListening(string @interface, IPAddress address, int prefixLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP reply to mac {Mac} xid {Xid:x8} does not fit in a message; not sent")]
    private partial void LogTooLong(string mac, uint xid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP server could not answer a {Type} on {Interface}")]
    private partial void LogFailed(Exception ex, string @interface, DhcpMessageType type);
}
