using System.Net;

namespace Provisioner.Pxe.Syslog;

/// <summary>What the receiver does with each well-formed datagram; the receiver waits for it, so keep it short.</summary>
public interface ISyslogHandler
{
    ValueTask ReceivedAsync(IPEndPoint peer, SyslogMessage message, CancellationToken cancellationToken);
}
