using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Tftp;

/// <summary>Sends an ERROR packet, best effort: the peer may be gone, and an answer must never end the sender's work.</summary>
internal static class TftpErrorReply
{
    /// <summary>At most 3 UTF-8 bytes a character: 160 of them and the ellipsis fit the 507 bytes a 512-byte ERROR leaves.</summary>
    private const int MaxMessageCharacters = 160;

    private static string Shortened(string message)
    {
        int keep = Math.Min(message.Length, MaxMessageCharacters);
        if (keep > 0 && char.IsHighSurrogate(message[keep - 1]))
        {
            keep--;
        }
        return string.Concat(message.AsSpan(0, keep), "…");
    }

    public static void Send(Socket socket, SocketAddress to, TftpErrorCode code, string message)
    {
        Span<byte> buffer = stackalloc byte[512];
        // A message naming a long file (a client may ask for 64 KB of name) is cut to fit, not dropped:
        // a client that gets no ERROR waits out its whole timeout.
        if (!TftpWire.TryWriteError(buffer, code, message, out int written)
            && !TftpWire.TryWriteError(buffer, code, Shortened(message), out written))
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
