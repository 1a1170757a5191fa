using System.Net;
using System.Net.Sockets;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A lossy path between one TFTP client and the server, on 127.0.0.1: it drops and duplicates
/// datagrams at random in both directions, like a bad link. The client sends its request to
/// <see cref="Port"/>; the server's answers reach it from a facade port that stands for the
/// server's transfer port. The request and the first datagram each way (the OACK and the ACK of
/// block 0 when options were asked) are never dropped or duplicated, and an OACK the server sends
/// again is not passed on: atftp's client aborts with "unexpected OACK" when it sees a second OACK.
/// The server is right to send it again when the ACK of block 0 is late (a busy machine, 200 ms
/// timeout here: seen failing in CI), and no server can prevent that on a lossy path; these tests
/// measure the windowed transfer after the negotiation, not atftp's handling of it.
/// </summary>
public sealed class LossyUdpProxy : IDisposable
{
    private readonly Socket _front = Bound();
    private readonly Socket _upstream = Bound();
    private readonly Socket _facade = Bound();
    private readonly IPEndPoint _server;
    private readonly double _drop;
    private readonly double _duplicate;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private EndPoint? _client;
    private EndPoint? _serverTid;
    private int _fromClient;

    public LossyUdpProxy(IPEndPoint server, double drop, double duplicate, int seed)
    {
        _server = server;
        _drop = drop;
        _duplicate = duplicate;
        _random = new Random(seed);
        _loops = [Pump(_front, OnRequest), Pump(_upstream, OnFromServer), Pump(_facade, OnFromClient)];
    }

    public int Port => ((IPEndPoint)_front.LocalEndPoint!).Port;

    public int FromServer { get; private set; }

    public int Dropped { get; private set; }

    public int Duplicated { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (Socket socket in new[] { _front, _upstream, _facade })
        {
            socket.Dispose();
        }
        Task.WaitAll(_loops, TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private void OnRequest(byte[] datagram, EndPoint from)
    {
        _client = from;
        _upstream.SendTo(datagram, _server);
    }

    private void OnFromServer(byte[] datagram, EndPoint from)
    {
        _serverTid = from;
        FromServer++;
        const byte oack = 6;
        if (FromServer > 1 && datagram is [0, oack, ..])
        {
            return;
        }
        if (_client is { } client)
        {
            Forward(_facade, datagram, client, lossy: FromServer > 1);
        }
    }

    private void OnFromClient(byte[] datagram, EndPoint from)
    {
        if (_serverTid is { } tid)
        {
            _fromClient++;
            Forward(_upstream, datagram, tid, lossy: _fromClient > 1);
        }
    }

    private void Forward(Socket via, byte[] datagram, EndPoint to, bool lossy)
    {
        int copies = lossy ? Copies() : 1;
        for (int i = 0; i < copies; i++)
        {
            via.SendTo(datagram, to);
        }
    }

    private int Copies()
    {
        lock (_gate)
        {
            if (_random.NextDouble() < _drop)
            {
                Dropped++;
                return 0;
            }
            if (_random.NextDouble() < _duplicate)
            {
                Duplicated++;
                return 2;
            }
            return 1;
        }
    }

    private Task Pump(Socket socket, Action<byte[], EndPoint> handle) => Task.Run(async () =>
    {
        byte[] buffer = new byte[70_000];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            try
            {
                lock (_gate)
                {
                    handle(buffer[..result.ReceivedBytes], result.RemoteEndPoint);
                }
            }
            catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
            {
                // Dispose closed the sockets while a datagram was being passed on: the test is over
                // (seen in CI: the last ACK arrived as the test disposed the proxy).
                return;
            }
        }
    });
}
