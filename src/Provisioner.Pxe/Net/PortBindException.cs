using System.Net.Sockets;

namespace Provisioner.Pxe.Net;

/// <summary>
/// A listener could not bind its port. The message is one line for the operator: which listener,
/// which address, why, and what to do about it. The protocol servers know nothing of how the address
/// was chosen, so the program that chose it names its own setting with <see cref="Advise"/>.
/// </summary>
public sealed class PortBindException : Exception
{
    public PortBindException(string message, Exception innerException)
        : base(message, innerException)
    {
        Listener = Address = "";
    }

    public PortBindException()
        : this("a listener cannot bind its port")
    {
    }

    public PortBindException(string message)
        : base(message)
    {
        Listener = Address = "";
    }

    private PortBindException(string listener, string address, SocketException cause)
        : base(Line(listener, address, cause.SocketErrorCode, cause.Message, "another address"), cause)
    {
        Listener = listener;
        Address = address;
        Error = cause.SocketErrorCode;
    }

    /// <summary>Which listener failed: <c>TFTP</c>, <c>syslog receiver</c>, <c>ProxyDHCP</c>, <c>HTTP</c>.</summary>
    public string Listener { get; }

    /// <summary>The address it tried, as the operator wrote it (<c>udp 0.0.0.0:69</c>).</summary>
    public string Address { get; }

    public SocketError Error { get; }

    public static PortBindException For(string listener, string address, SocketException cause) => new(listener, address, cause);

    /// <summary>The line again, telling the operator how to choose another address (<c>--tftp</c>, say).</summary>
    public string Advise(string setting) =>
        InnerException is SocketException cause ? Line(Listener, Address, Error, cause.Message, $"another address with {setting}") : Message;

    private static string Line(string listener, string address, SocketError error, string reason, string choose)
    {
        string advice = error switch
        {
            SocketError.AddressAlreadyInUse =>
                $"it is already in use by another process: stop that process (e.g. a tftpd or dnsmasq) or choose {choose}",
            SocketError.AccessDenied =>
                $"permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start), or choose {choose}",
            SocketError.AddressNotAvailable =>
                $"that address is not on any interface of this machine: choose {choose}",
            _ => $"{reason}: choose {choose}",
        };
        return $"{listener} cannot listen on {address}: {advice}";
    }
}
