using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace Provisioner.Pxe.Net;

/// <summary>UDP sockets tied to one interface, for the DHCP listeners that must answer there and nowhere else.</summary>
internal static class InterfaceSocket
{
    // SOL_SOCKET / SO_BINDTODEVICE (Linux): the socket sees and sends only on that interface.
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    /// <summary>The interface's first IPv4 address and prefix length; a missing interface or address stops start-up with one line.</summary>
    public static (IPAddress Address, int PrefixLength) AddressOf(string listener, string name, string advice)
    {
        NetworkInterface? nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        UnicastIPAddressInformation? unicast = nic?.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        return unicast is not null
            ? (unicast.Address, unicast.PrefixLength)
            : throw new PortBindException($"{listener} cannot listen on {name}: {(nic is null ? "no such interface" : "it has no IPv4 address")}; {advice}");
    }

    /// <summary>A broadcast-capable UDP socket on 0.0.0.0:<paramref name="port"/> that only sees and sends on <paramref name="name"/>.</summary>
    public static Socket Bind(string listener, string name, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(name + "\0"));
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw PortBindException.For(listener, $"udp {name}:{port}", ex);
        }
    }
}
