namespace Provisioner.Pxe.Capture;

/// <summary>Packet capture settings (configuration section <c>Capture</c>).</summary>
public sealed class CaptureOptions
{
    /// <summary>
    /// The provisioning interfaces to listen on (<c>serve --interface NAME</c>, repeatable).
    /// Default: none, capture off.
    /// </summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>Only ARP and DHCP reach the appliance: the kernel drops everything else.</summary>
    public const string Filter = "arp or (udp and (port 67 or port 68))";
}
