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
}
