using System.Net.Sockets;

namespace Provisioner.Pxe.Net;

/// <summary>
/// A listener could not bind its port. The message is one line for the operator: which listener,
/// which address, why, and what to do about it.
/// </summary>
public sealed class PortBindException : Exception
{
    public PortBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PortBindException()
    {
    }

    public PortBindException(string message)
        : base(message)
    {
    }

    public static PortBindException For(string listener, string address, SocketException cause, string option)
    {
        string advice = cause.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"it is already in use by another process: stop that process (e.g. a tftpd or dnsmasq) or choose another address with {option}",
            SocketError.AccessDenied =>
                $"permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start), or choose another port with {option}",
            SocketError.AddressNotAvailable =>
                $"that address is not on any interface of this machine: choose another with {option}",
            _ => $"{cause.Message}: choose another address with {option}",
        };
        return new PortBindException($"{listener} cannot listen on {address}: {advice}", cause);
    }
}
