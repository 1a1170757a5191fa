using System.Net;

namespace Provisioner.Pxe.Syslog;

/// <summary>Settings of the syslog receiver (configuration section <c>Syslog</c>).</summary>
public sealed class SyslogServerOptions
{
    /// <summary>UDP address to listen on; null when the receiver is off (<c>--syslog off</c>). Default <c>0.0.0.0:514</c>, where installers send by default.</summary>
    public IPEndPoint? Endpoint { get; set; } = new(IPAddress.Any, 514);
}
