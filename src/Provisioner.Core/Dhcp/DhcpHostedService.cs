using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// Starts the DHCP server with the host when <c>--dhcp</c> is on, after the checks that would make
/// serving wrong: the settings against the interfaces, the leases against the inventory, and
/// another DHCP server already answering there (unless <c>--dhcp-force</c>). Any of them stops
/// start-up with one line.
/// </summary>
internal sealed partial class DhcpHostedService(DhcpServer server, LeaseBook book, DhcpSubnets subnets, InventoryDatabase database, DhcpMetrics metrics,
    IOptions<DhcpServerOptions> listener, IOptions<DhcpServiceOptions> options, IOptions<ProxyDhcpOptions> proxy,
    ListenerStatus status, TimeProvider time, ILogger<DhcpHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!listener.Value.Enabled)
        {
            return;
        }
        if (proxy.Value.Enabled)
        {
            throw new DhcpSetupException("--dhcp and --proxy-dhcp cannot both run: the DHCP server gives PXE clients their boot information itself; leave out --proxy-dhcp");
        }
        IReadOnlyList<DhcpListenerInterface> interfaces = server.FindInterfaces();
        DhcpStartupCheck.Interfaces(subnets, interfaces);
        await book.LoadAsync(cancellationToken).ConfigureAwait(false);
        await DhcpStartupCheck.ReservationsAsync(subnets, book, database, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        List<OtherDhcpServer> others = [];
        foreach (DhcpListenerInterface on in interfaces)
        {
            others.AddRange(await DhcpServerScout.FindAsync(on.Name, options.Value.OtherServerListen, cancellationToken).ConfigureAwait(false));
        }
        if (others.Count > 0)
        {
            string found = DhcpStartupCheck.Describe(others);
            if (!options.Value.Force)
            {
                throw new DhcpSetupException($"another DHCP server answers here: {found}; stop it, or serve beside it with --dhcp-force");
            }
            LogServingBeside(found);
        }
        server.Start();
        metrics.Start();
        LogServing(book.Count, subnets.Names);
        status.MarkListening("dhcp", $"udp 67 on {string.Join(", ", listener.Value.Interfaces)}");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.MarkStopped("dhcp");
        await server.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHCP server serving beside another DHCP server (--dhcp-force): {Found}")]
    private partial void LogServingBeside(string found);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHCP server serving {Subnets} with {Leases} leases on record")]
    private partial void LogServing(int leases, string subnets);
}
