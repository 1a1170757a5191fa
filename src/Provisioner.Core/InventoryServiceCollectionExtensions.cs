using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Alerts;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Metrics;
using Provisioner.Core.Network;
using Provisioner.Core.Templates;
using Provisioner.Core.Users;

namespace Provisioner.Core;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// The inventory database and everything that reads or changes it; no hosted services. Settings come
    /// as options (<see cref="StorageOptions"/>, <see cref="TemplateStoreOptions"/>, <see cref="BuildOptions"/>, ...)
    /// bound by the host.
    /// </summary>
    public static IServiceCollection AddInventory(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.TryAddSingleton(sp =>
        {
            StorageOptions storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return InventoryDatabase.Open(storage.Database, storage.DataDir);
        });
        services.TryAddSingleton<InventoryHealth>();
        services.TryAddSingleton<TemplateStore>();
        services.TryAddSingleton<IProfileCatalog>(sp => new Deploy.ProfileCatalog(sp.GetRequiredService<TemplateStore>(), sp.GetRequiredService<IOptions<Images.ImageOptions>>()));
        services.TryAddSingleton<TemplatePreview>();
        services.AddBootFiles();
        services.TryAddSingleton<Boot.ProfileBootFiles>();
        services.TryAddSingleton<HostValidator>();
        services.TryAddSingleton<HostDirectory>();
        services.TryAddSingleton<HostService>();
        services.TryAddSingleton<HostGroupValidator>();
        services.TryAddSingleton<HostGroupService>();
        services.TryAddSingleton<ApiTokens>();
        services.TryAddSingleton<Audit.AuditTrail>();
        services.TryAddSingleton<Access.SshKeys>();
        services.AddOptions<SignInThrottleOptions>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<UserService>();
        services.TryAddSingleton<TimelineWriter>();
        services.TryAddSingleton<BuildTracker>();
        services.TryAddSingleton<BuildStages>();
        services.TryAddSingleton<HostResolver>();
        services.TryAddSingleton<InstallerLogWriter>();
        services.TryAddSingleton<InstallerLogs>();
        services.TryAddSingleton<BootConfigs>();
        services.TryAddSingleton<Preseeds>();
        services.TryAddSingleton<FinishScripts>();
        services.TryAddSingleton<IIpMacBindings, InMemoryIpMacBindings>();
        services.AddOptions<DhcpTrustOptions>();
        services.TryAddSingleton<DhcpServerTrust>();
        services.TryAddSingleton<DiscoveredMachines>();
        services.AddPower();
        services.TryAddSingleton<Dhcp.DhcpLeaseList>();
        return services;
    }

    /// <summary>The inventory for the running appliance: migrations first, then build tracking in the background.</summary>
    public static IServiceCollection AddBuildTracking(this IServiceCollection services)
    {
        services.AddInventory();
        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<HostChangeFeed>();
        services.AddHostedService<HostDirectoryPreloader>();
        services.AddHostedService<InitialAdmin>();
        services.TryAddSingleton<BuildFactRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<BuildFactRecorder>());
        services.TryAddSingleton<TransfersInFlight>();
        services.AddHostedService(sp => sp.GetRequiredService<TransfersInFlight>());
        services.AddHostedService<BuildWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<InstallerLogWriter>());
        services.TryAddSingleton<RecentAlerts>();
        services.TryAddSingleton<WebhookSender>();
        WebhookSender.Register(services);
        services.TryAddSingleton<AlertCommand>();
        services.AddHostedService<AlertDispatcher>();
        services.AddHostedService<MetricsRecorder>();
        services.AddPowerPolling();
        return services;
    }
}
