using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Pxe.Logging;
using Provisioner.Pxe.Net;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// A read-only TFTP server (RFC 1350 with the 2347/2348/2349/7440 options). It listens on one port,
/// gives each transfer its own socket, and asks an <see cref="ITftpHandler"/> what to send.
/// </summary>
public sealed partial class TftpServer : IAsyncDisposable
{
    /// <summary>How a failed bind names this listener (<see cref="PortBindException.Listener"/>).</summary>
    public const string ListenerName = "TFTP";

    private readonly TftpServerOptions _options;
    private readonly ITftpHandler _handler;
    private readonly ITftpTransferObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger<TftpServer> _logger;
    private readonly ConcurrentDictionary<Task, byte> _transfers = new();

    /// <summary>Client endpoints (TIDs) with a transfer under way.</summary>
    private readonly ConcurrentDictionary<IPEndPoint, byte> _peers = new();

    /// <summary>Transfers under way per client address (<see cref="TftpServerOptions.MaxTransfersPerClient"/>); guarded by itself.</summary>
    private readonly Dictionary<IPAddress, int> _perClient = [];

    /// <summary>Stops the listener: no new transfers.</summary>
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Stops the event loops: transfers still running are cut.</summary>
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _listener;
    private TftpEventLoop[] _loops = [];
    private int _active;

    public TftpServer(IOptions<TftpServerOptions> options, ITftpHandler handler, ITftpTransferObserver observer, TimeProvider time, ILogger<TftpServer> logger)
    {
        _options = options.Value;
        _handler = handler;
        _observer = observer;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the server listens, once started (the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndpoint { get; private set; }

    public int ActiveTransfers => Volatile.Read(ref _active);

    /// <summary>Binds the port and starts listening. Fails fast with <see cref="PortBindException"/>.</summary>
    public void Start()
    {
        IPEndPoint endpoint = _options.Endpoint;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // The transfer socket must answer from the address the client asked, on multi-homed hosts too.
            socket.SetSocketOption(
                endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP,
                SocketOptionName.PacketInformation,
                true);
            socket.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw PortBindException.For(ListenerName, $"udp {endpoint}", ex);
        }
        _socket = socket;
        LocalEndpoint = (IPEndPoint)socket.LocalEndPoint!;
        _loops = [.. Enumerable.Range(0, Math.Max(1, _options.EventLoops)).Select(_ => new TftpEventLoop(_stopping.Token))];
        Log.Listening(_logger, LocalEndpoint);
        _listener = Task.Run(() => ListenAsync(_closing.Token));
    }

    /// <summary>
    /// Stops hearing requests, lets the transfers under way run for <see cref="TftpServerOptions.ShutdownGrace"/>
    /// (or until <paramref name="cancellationToken"/>), then cuts the rest with an ERROR to each client.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }
        // Before the first await: once the caller has the task, no request is heard any more.
        _closing.Cancel();
        _socket?.Dispose();
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(false);
        }
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_transfers.Keys).ConfigureAwait(false);
        foreach (TftpEventLoop loop in _loops)
        {
            loop.Dispose();
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task[] running = [.. _transfers.Keys];
        if (running.Length == 0 || _options.ShutdownGrace <= TimeSpan.Zero)
        {
            return;
        }
        Log.Draining(_logger, running.Length, _options.ShutdownGrace.TotalSeconds);
        try
        {
            await Task.WhenAll(running).WaitAsync(_options.ShutdownGrace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Log.CuttingTransfers(_logger, _transfers.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _closing.Dispose();
        _stopping.Dispose();
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        byte[] buffer = new byte[TftpNegotiation.MaxBlockSize + TftpWire.HeaderLength];
        EndPoint any = new IPEndPoint(_options.Endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await _socket!.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ReceiveLoop.Stopped(ex, stopping) || ex is ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // An ICMP error for an earlier send can surface here; the listener keeps going.
                Log.ReceiveFailed(_logger, ex.SocketErrorCode);
                continue;
            }
            var peer = (IPEndPoint)received.RemoteEndPoint;
            OnDatagram(buffer.AsSpan(0, received.ReceivedBytes), peer, received.PacketInformation.Address);
        }
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint peer, IPAddress localAddress)
    {
        if (!TftpWire.TryReadRequest(datagram, out TftpRequest? request))
        {
            // Truncated or garbled requests, and DATA/ACK sent to port 69, are dropped.
            Log.DroppedDatagram(_logger, peer, datagram.Length);
            return;
        }
        // A client that heard nothing yet (the first config render can take a moment) sends its
        // request again from the same port: the transfer under way answers it, not a second one.
        if (!_peers.TryAdd(peer, 0))
        {
            Log.RepeatedRequest(_logger, peer, LogText.Bounded(request.Filename));
            return;
        }
        if (!TryTakeClientSlot(peer.Address))
        {
            _peers.TryRemove(peer, out _);
            Log.ClientBusy(_logger, peer, LogText.Bounded(request.Filename), _options.MaxTransfersPerClient);
            SendErrorFromListener(peer, TftpErrorCode.NotDefined, $"server busy: {_options.MaxTransfersPerClient} transfers from your address in progress, try again");
            return;
        }
        if (Interlocked.Increment(ref _active) > _options.MaxTransfers)
        {
            Interlocked.Decrement(ref _active);
            ReleaseClientSlot(peer.Address);
            _peers.TryRemove(peer, out _);
            Log.Busy(_logger, peer, LogText.Bounded(request.Filename), _options.MaxTransfers);
            SendErrorFromListener(peer, TftpErrorCode.NotDefined, $"server busy: {_options.MaxTransfers} transfers in progress, try again");
            return;
        }
        Task transfer = Task.Run(() => ServeAsync(request, peer, localAddress, _stopping.Token));
        _transfers.TryAdd(transfer, 0);
        transfer.ContinueWith(
            done => OnTransferEnded(done, peer),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnTransferEnded(Task transfer, IPEndPoint peer)
    {
        _transfers.TryRemove(transfer, out _);
        _peers.TryRemove(peer, out _);
        ReleaseClientSlot(peer.Address);
        Interlocked.Decrement(ref _active);
    }

    private bool TryTakeClientSlot(IPAddress client)
    {
        lock (_perClient)
        {
            int running = _perClient.GetValueOrDefault(client);
            if (running >= _options.MaxTransfersPerClient)
            {
                return false;
            }
            _perClient[client] = running + 1;
            return true;
        }
    }

    private void ReleaseClientSlot(IPAddress client)
    {
        lock (_perClient)
        {
            if (_perClient.TryGetValue(client, out int running) && running > 1)
            {
                _perClient[client] = running - 1;
            }
            else
            {
                _perClient.Remove(client);
            }
        }
    }

    private async Task ServeAsync(TftpRequest request, IPEndPoint peer, IPAddress localAddress, CancellationToken stopping)
    {
        // Every line of this transfer, the handler's included, carries the client (json and systemd formats).
        using IDisposable? scope = LogScope.Begin(_logger, peer: peer);
        Socket socket;
        try
        {
            socket = OpenTransferSocket(localAddress);
        }
        catch (SocketException ex)
        {
            // Out of ports or the address just went away: nothing to answer from, the client retries.
            Log.TransferCrashed(_logger, ex, peer, LogText.Bounded(request.Filename));
            return;
        }
        using Socket owned = socket;
        try
        {
            TftpReadResult opened = await OpenAsync(request, peer, localAddress, stopping).ConfigureAwait(false);
            if (opened.Source is null)
            {
                Log.Refused(_logger, peer, LogText.Bounded(request.Filename), (int)opened.Error, LogText.Bounded(opened.Message));
                TftpErrorReply.Send(socket, peer.Serialize(), opened.Error, opened.Message);
                return;
            }
            using ITftpSource source = opened.Source;
            await SendAsync(socket, request, peer, source).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A handler or socket fault ends this transfer only; the server keeps serving.
            Log.TransferCrashed(_logger, ex, peer, LogText.Bounded(request.Filename));
            TftpErrorReply.Send(socket, peer.Serialize(), TftpErrorCode.NotDefined, "internal server error");
        }
    }

    private async ValueTask<TftpReadResult> OpenAsync(TftpRequest request, IPEndPoint peer, IPAddress localAddress, CancellationToken stopping)
    {
        if (request.Opcode == TftpOpcode.WriteRequest)
        {
            return TftpReadResult.Denied("this server is read-only: write requests are refused");
        }
        bool netascii = request.Mode.Equals("netascii", StringComparison.OrdinalIgnoreCase);
        if (!netascii && !request.Mode.Equals("octet", StringComparison.OrdinalIgnoreCase))
        {
            return TftpReadResult.Refused(TftpErrorCode.IllegalOperation, $"transfer mode '{request.Mode}' is not supported: use octet or netascii");
        }
        TftpReadResult opened = await _handler.OpenAsync(request.Filename, peer, localAddress, stopping).ConfigureAwait(false);
        if (!netascii || opened.Source is null)
        {
            return opened;
        }
        // Encoded as it is read (constant memory, whatever the size); the source is the transfer's now.
        try
        {
            return TftpReadResult.Found(new NetasciiSource(opened.Source));
        }
        catch
        {
            opened.Source.Dispose();
            throw;
        }
    }

    private async Task SendAsync(Socket socket, TftpRequest request, IPEndPoint peer, ITftpSource source)
    {
        TftpTransferSettings settings = TftpNegotiation.Negotiate(request.Options, source.Length, _options);
        using var session = new TftpTransferSession(socket, peer, source, settings, _options.MaxRetries, _options.GiveUpAfter, _time);
        var info = new TftpTransferInfo(peer, request.Filename, source.Length, settings.BlockSize, settings.WindowSize) { BytesAcknowledged = () => session.BytesAcknowledged };
        Log.Started(_logger, peer, LogText.Bounded(request.Filename), source.Length, settings.BlockSize, settings.WindowSize);
        Notify(o => o.OnStarted(info));

        long started = _time.GetTimestamp();
        TftpOutcome outcome = await LeastLoadedLoop().Serve(session).ConfigureAwait(false);
        TimeSpan elapsed = _time.GetElapsedTime(started);
        if (outcome.Completed)
        {
            Log.Completed(_logger, peer, LogText.Bounded(request.Filename), source.Length, elapsed.TotalMilliseconds, outcome.Retransmissions);
            Notify(o => o.OnCompleted(info, elapsed, outcome.Retransmissions));
        }
        else
        {
            Log.Failed(_logger, peer, LogText.Bounded(request.Filename), outcome.BytesAcknowledged, LogText.Bounded(outcome.Failure!));
            Notify(o => o.OnFailed(info, outcome.BytesAcknowledged, outcome.Failure!));
        }
    }

    private TftpEventLoop LeastLoadedLoop()
    {
        TftpEventLoop least = _loops[0];
        foreach (TftpEventLoop loop in _loops)
        {
            if (loop.Count < least.Count)
            {
                least = loop;
            }
        }
        return least;
    }

    private Socket OpenTransferSocket(IPAddress localAddress)
    {
        var socket = new Socket(_options.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Answer from the address the client sent to; broadcasts fall back to the routing decision.
        bool unicast = !localAddress.Equals(IPAddress.Broadcast) && !localAddress.Equals(IPAddress.Any) && !localAddress.Equals(IPAddress.IPv6Any);
        socket.Bind(new IPEndPoint(unicast ? localAddress : _options.Endpoint.Address, 0));
        return socket;
    }

    private void Notify(Action<ITftpTransferObserver> call)
    {
        try
        {
            call(_observer);
        }
        catch (Exception ex)
        {
            Log.ObserverFailed(_logger, ex);
        }
    }

    private void SendErrorFromListener(IPEndPoint peer, TftpErrorCode code, string message)
    {
        if (_socket is { } socket)
        {
            TftpErrorReply.Send(socket, peer.Serialize(), code, message);
        }
    }
}
