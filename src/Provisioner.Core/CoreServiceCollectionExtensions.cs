using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioner.Core.Boot;
using Provisioner.Core.Events;
using Provisioner.Core.Hosting;
using Provisioner.Core.Metrics;

namespace Provisioner.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The event bus, listener status, metrics and clock every other part relies on.</summary>
    public static IServiceCollection AddProvisionerCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventBus, EventBus>();
        services.TryAddSingleton<ListenerStatus>();
        services.TryAddSingleton<ApplianceMetrics>();
        services.TryAddSingleton<ApplianceIdentity>();
        return services;
    }

    /// <summary>The boot dir and the system loader directories (TFTP, HTTP and ProxyDHCP look files up there), registered once whoever asks first.</summary>
    public static IServiceCollection AddBootFiles(this IServiceCollection services)
    {
        services.AddOptions<BootFileOptions>();
        services.TryAddSingleton<BootFiles>();
        return services;
    }

    /// <summary>The base URL written into boot configs and preseeds (<see cref="ApplianceUrlOptions"/>).</summary>
    public static IServiceCollection AddApplianceUrls(this IServiceCollection services)
    {
        services.AddOptions<ApplianceUrlOptions>();
        services.TryAddSingleton<ApplianceUrls>();
        return services;
    }
}
