using Microsoft.Extensions.Hosting;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core.Boot;

/// <summary>Starts the TFTP server with the host: binding happens in StartAsync so a busy port stops start-up.</summary>
internal sealed class TftpHostedService(TftpServer server, ListenerStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        status.MarkListening("tftp", $"udp {server.LocalEndpoint}");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.MarkStopped("tftp");
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
