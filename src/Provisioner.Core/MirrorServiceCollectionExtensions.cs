using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioner.Core.Mirror;

namespace Provisioner.Core;

public static class MirrorServiceCollectionExtensions
{
    /// <summary>The package mirror (<see cref="PackageMirror"/>): its archives, cache and figures.</summary>
    public static IServiceCollection AddPackageMirror(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.AddOptions<MirrorOptions>();
        services.TryAddSingleton<MirrorUpstreams>();
        services.TryAddSingleton<MirrorStats>();
        services.TryAddSingleton<PackageMirror>();
        return services;
    }
}
