using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>Decides what a PXE client boots: the boot file (a TFTP path or an HTTP URL), or null to stay silent.</summary>
public interface IProxyDhcpHandler
{
    ValueTask<string?> BootFileAsync(DhcpMessage request, string interfaceName, IPAddress server, CancellationToken cancellationToken);
}
