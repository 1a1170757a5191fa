using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Dhcp;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core;

public static class DhcpServiceCollectionExtensions
{
    /// <summary>The DHCP server (<c>Dhcp:Enabled</c>, <c>--dhcp</c>) on the capture interfaces, and only there; its leases in the inventory.</summary>
    public static IServiceCollection AddDhcpServer(this IServiceCollection services)
    {
        services.AddInventory();
        services.AddApplianceUrls();
        services.AddBootFiles();
        services.TryAddSingleton<PxeBootDecision>();
        services.TryAddSingleton<LeaseBook>();
        services.TryAddSingleton<ReservedAddresses>();
        services.TryAddSingleton(sp => DhcpSubnets.From(sp.GetRequiredService<IOptions<DhcpServiceOptions>>().Value));
        services.TryAddSingleton<AddressProbe>();
        services.TryAddSingleton<IDhcpHandler, DhcpAnswers>();
        services.TryAddSingleton<DhcpServer>();
        services.TryAddSingleton<DhcpMetrics>();
        services.AddHostedService<DhcpHostedService>();
        return services;
    }
}
