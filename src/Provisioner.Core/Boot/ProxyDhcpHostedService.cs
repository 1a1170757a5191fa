using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Boot;

/// <summary>Starts ProxyDHCP with the host when <c>--proxy-dhcp</c> is on; binding in StartAsync so a problem stops start-up.</summary>
internal sealed class ProxyDhcpHostedService(ProxyDhcpServer server, IOptions<ProxyDhcpOptions> options, ListenerStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            server.Start();
            status.MarkListening("proxy-dhcp", $"udp 67, 4011 on {string.Join(", ", options.Value.Interfaces)}");
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.MarkStopped("proxy-dhcp");
        await server.DisposeAsync().ConfigureAwait(false);
    }
}
