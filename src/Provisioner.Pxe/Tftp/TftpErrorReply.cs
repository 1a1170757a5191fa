using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Tftp;

/// <summary>Sends an ERROR packet, best effort: the peer may be gone, and an answer must never end the sender's work.</summary>
internal static class TftpErrorReply
{
    public static void Send(Socket socket, SocketAddress to, TftpErrorCode code, string message)
    {
        Span<byte> buffer = stackalloc byte[512];
        if (!TftpWire.TryWriteError(buffer, code, message, out int written))
        {
            return;
        }
        try
        {
            socket.SendTo(buffer[..written], SocketFlags.None, to);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Best effort, as above.
        }
    }
}
