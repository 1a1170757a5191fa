using System.Net;
using System.Net.Sockets;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Support;

/// <summary>A hand-driven TFTP client for exercising the server packet by packet on 127.0.0.1.</summary>
internal sealed class RawTftpClient : IDisposable
{
    /// <summary>Upper bound on waiting for one datagram, so a broken server fails the test instead of hanging it.</summary>
    public static readonly TimeSpan ReceiveLimit = TimeSpan.FromSeconds(5);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;

    /// <param name="server">The server's listening endpoint.</param>
    /// <param name="local">The client's address: 127.0.0.1, or another loopback address to be a second machine.</param>
    public RawTftpClient(IPEndPoint server, IPAddress? local = null)
    {
        _server = server;
        _socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
    }

    /// <summary>The server's transfer port (its TID), learned from its first answer.</summary>
    public IPEndPoint? TransferEndpoint { get; private set; }

    public void SendRequest(string filename, string mode = "octet", params TftpOption[] options) =>
        SendRequest(new TftpRequest(TftpOpcode.ReadRequest, filename, mode, options));

    public void SendRequest(TftpRequest request)
    {
        byte[] buffer = new byte[1024];
        Assert.True(TftpWire.TryWriteRequest(buffer, request, out int written));
        SendRaw(buffer.AsSpan(0, written), _server);
    }

    public void SendRaw(ReadOnlySpan<byte> datagram, IPEndPoint to) => _socket.SendTo(datagram, SocketFlags.None, to);

    public void Ack(ushort block)
    {
        byte[] buffer = new byte[4];
        TftpWire.TryWriteAck(buffer, block, out _);
        SendRaw(buffer, TransferEndpoint!);
    }

    /// <summary>The next datagram, or null when none comes within <paramref name="wait"/>.</summary>
    public byte[]? Receive(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? ReceiveLimit);
        byte[] buffer = new byte[70_000];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            SocketReceiveFromResult result = _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, timeout.Token).AsTask().GetAwaiter().GetResult();
            TransferEndpoint ??= (IPEndPoint)result.RemoteEndPoint;
            return buffer[..result.ReceivedBytes];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public (ushort Block, byte[] Payload) ReceiveData()
    {
        byte[] datagram = Receive() ?? throw new Xunit.Sdk.XunitException("no DATA from the server");
        Assert.True(TftpWire.TryReadData(datagram, out ushort block, out ReadOnlySpan<byte> payload), $"expected DATA, got opcode {datagram[1]}");
        return (block, payload.ToArray());
    }

    public (TftpErrorCode Code, string Message) ReceiveError()
    {
        byte[] datagram = Receive() ?? throw new Xunit.Sdk.XunitException("no ERROR from the server");
        Assert.True(TftpWire.TryReadError(datagram, out TftpErrorCode code, out string? message), $"expected ERROR, got opcode {datagram[1]}");
        return (code, message);
    }

    public void Dispose() => _socket.Dispose();
}
