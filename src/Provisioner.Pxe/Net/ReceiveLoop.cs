using System.Net;
using System.Net.Sockets;

namespace Provisioner.Pxe.Net;

/// <summary>What the UDP listeners' receive loops share.</summary>
internal static class ReceiveLoop
{
    /// <summary>
    /// True when <paramref name="ex"/> is how a pending receive ends because its loop is stopping.
    /// Cancelling it usually surfaces as <see cref="OperationCanceledException"/>, but when the
    /// cancellation or the socket's disposal races the receive, .NET throws a
    /// <see cref="SocketException"/> (OperationAborted, "Operation canceled") or an
    /// <see cref="ObjectDisposedException"/> instead: seen under load when a syslog receiver stopped.
    /// A stop is never an error.
    /// </summary>
    public static bool Stopped(Exception ex, CancellationToken stopping) =>
        ex is OperationCanceledException || (stopping.IsCancellationRequested && ex is SocketException or ObjectDisposedException);

    /// <summary>
    /// The next IPv4 datagram into <paramref name="buffer"/>; null once the loop is stopping. An
    /// ICMP error for an earlier send surfaces as a failed receive: skipped, the listener goes on.
    /// </summary>
    public static async ValueTask<SocketReceiveFromResult?> NextAsync(Socket socket, Memory<byte> buffer, CancellationToken stopping)
    {
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                return await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (Stopped(ex, stopping))
            {
                return null;
            }
            catch (SocketException)
            {
                // Nothing to do with the next datagram.
            }
        }
        return null;
    }
}
