namespace Provisioner.Pxe.Dhcp;

/// <summary>ProxyDHCP settings (configuration section <c>ProxyDhcp</c>).</summary>
public sealed class ProxyDhcpOptions
{
    /// <summary>Answer PXE clients (<c>serve --proxy-dhcp</c>). Default off: the site's DHCP server gives the boot file.</summary>
    public bool Enabled { get; set; }

    /// <summary>The interfaces to answer on: the capture interfaces (<c>--interface</c>); never any other.</summary>
    public IList<string> Interfaces { get; } = [];
}
