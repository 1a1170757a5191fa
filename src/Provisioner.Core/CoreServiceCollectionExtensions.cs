using Microsoft.Extensions.Configuration;
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
    public static IServiceCollection AddBootFiles(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(BootFiles)))
        {
            return services;
        }
        services.AddOptions<BootFileOptions>().Bind(configuration);
        services.AddSingleton<BootFiles>();
        return services;
    }

    /// <summary>The base URL written into boot configs and preseeds, from keys <c>Http</c> and <c>PublicUrl</c>.</summary>
    public static IServiceCollection AddApplianceUrls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApplianceUrlOptions>().Configure(o =>
        {
            o.Http = configuration["Http"] is { Length: > 0 } http ? http : o.Http;
            o.PublicUrl = configuration["PublicUrl"];
        });
        services.TryAddSingleton<ApplianceUrls>();
        return services;
    }
}
