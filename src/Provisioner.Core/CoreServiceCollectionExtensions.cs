using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioner.Core.Events;
using Provisioner.Core.Hosting;

namespace Provisioner.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The event bus, listener status and clock every other part relies on.</summary>
    public static IServiceCollection AddProvisionerCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventBus, EventBus>();
        services.TryAddSingleton<ListenerStatus>();
        return services;
    }
}
