using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Syslog;

/// <summary>
/// A UDP syslog receiver (RFC 5426 transport): one socket, one loop, each datagram parsed by
/// <see cref="SyslogWire"/> and handed to the <see cref="ISyslogHandler"/>. Malformed datagrams are
/// counted and dropped; a handler failure is logged and the loop goes on.
/// </summary>
public sealed partial class SyslogServer(IOptions<SyslogServerOptions> options, ISyslogHandler handler, ILogger<SyslogServer> logger) : IAsyncDisposable
{
    /// <summary>How a failed bind names this listener (<see cref="PortBindException.Listener"/>).</summary>
    public const string ListenerName = "syslog receiver";

    /// <summary>RFC 5426 §3.2: receivers should take datagrams up to 2048 octets, and may take up to the UDP maximum.</summary>
    private const int MaxDatagram = 65_535;

    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Socket? _socket;
    private Task? _loop;

    public IPEndPoint? LocalEndpoint => _socket?.LocalEndPoint as IPEndPoint;

    public long Malformed { get; private set; }

    /// <summary>Binds now, so a busy or privileged port stops start-up with <see cref="PortBindException"/>.</summary>
    public void Start()
    {
        IPEndPoint endpoint = options.Value.Endpoint ?? throw new InvalidOperationException("the syslog receiver is off");
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw PortBindException.For(ListenerName, $"udp {endpoint}", ex);
        }
        _socket = socket;
        _loop = Task.Run(() => ReceiveLoopAsync(socket, _stopping.Token));
        LogListening(LocalEndpoint!);
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken stopping)
    {
        byte[] buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ReceiveLoop.Stopped(ex, stopping))
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error from an earlier send, or an oversize datagram: nothing to do with the next one.
                continue;
            }
            var peer = (IPEndPoint)received.RemoteEndPoint;
            if (!SyslogWire.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out SyslogMessage message))
            {
                Malformed++;
                continue;
            }
            try
            {
                await handler.ReceivedAsync(peer, message, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogHandlerFailed(ex, peer);
            }
        }
    }

    /// <summary>Stops listening; safe to call twice (the hosted service stops it, then the container disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog receiver listening on udp {Endpoint}")]
    private partial void LogListening(IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog line from {Peer} could not be handled")]
    private partial void LogHandlerFailed(Exception ex, IPEndPoint peer);
}
