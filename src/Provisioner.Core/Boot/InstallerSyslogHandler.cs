using System.Net;
using Provisioner.Core.Builds;
using Provisioner.Pxe.Syslog;

namespace Provisioner.Core.Boot;

/// <summary>Syslog lines are installer logs: each goes to the host that sent it.</summary>
internal sealed class InstallerSyslogHandler(InstallerLogs logs) : ISyslogHandler
{
    public ValueTask ReceivedAsync(IPEndPoint peer, SyslogMessage message, CancellationToken cancellationToken) =>
        logs.ReceiveAsync(peer.Address, message.Tag, message.Text, cancellationToken);
}
