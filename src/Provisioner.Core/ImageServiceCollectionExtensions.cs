using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Images;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core;

public static class ImageServiceCollectionExtensions
{
    /// <summary>OS images: definitions, the built versions in <c>DATA_DIR/images</c>, the builder, and the appliance's background builds.</summary>
    public static IServiceCollection AddImages(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ImageOptions>();
        services.TryAddSingleton(sp => new ImageStore(Path.Join(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir, "images")));
        services.TryAddSingleton<ImageBuilder>();
        services.TryAddSingleton<ImageBuilds>();
        services.TryAddSingleton<Deploy.Deployments>();
        return services;
    }
}
