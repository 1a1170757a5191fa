namespace Provisioner.Pxe.Dhcp;

/// <summary>The DHCP server's listener settings (configuration section <c>Dhcp</c>).</summary>
public sealed class DhcpServerOptions
{
    /// <summary>Serve addresses (<c>serve --dhcp</c>). Default off: the site's DHCP server (or ProxyDHCP beside it) does.</summary>
    public bool Enabled { get; set; }

    /// <summary>The interfaces to serve on (<c>--interface</c>); never any other.</summary>
    public IList<string> Interfaces { get; } = [];

    /// <summary>
    /// Messages taken from one client (hardware address) per second; the rest are dropped and
    /// counted. Default 10: a client retransmits every few seconds (RFC 2131 §4.1), PXE ROMs about
    /// once a second, so only a broken or hostile client reaches it.
    /// </summary>
    public int MaxMessagesPerClientPerSecond { get; set; } = 10;

    /// <summary>Requests being answered at once (each may wait for the database or an address probe). Default 64.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;
}
