using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Syslog;

namespace Provisioner.Core.Boot;

/// <summary>Starts the syslog receiver with the host, unless it is off; binding in StartAsync so a busy port stops start-up.</summary>
internal sealed class SyslogHostedService(SyslogServer server, IOptions<SyslogServerOptions> options, ListenerStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Endpoint is not null)
        {
            server.Start();
            status.MarkListening("syslog", $"udp {server.LocalEndpoint}");
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.MarkStopped("syslog");
        await server.DisposeAsync().ConfigureAwait(false);
    }
}
