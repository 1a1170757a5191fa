using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// <summary>The inventory database and everything that reads or changes it; no hosted services.</summary>
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProvisionerCore();
        services.TryAddSingleton(_ => InventoryDatabase.Open(configuration["Database"], configuration["DataDir"] ?? "./data"));
        services.AddOptions<TemplateStoreOptions>().Configure(o => o.Directory = configuration["Templates"] ?? o.Directory);
        services.AddOptions<PreseedOptions>().Bind(configuration.GetSection("Preseed"));
        services.AddOptions<BuildOptions>().Bind(configuration.GetSection("Builds"));
        services.CheckAtStart<BuildOptions>(rules => rules.Rule(o => Setting.Positive("Builds:StallTimeout", o.StallTimeout)));
        services.AddOptions<ApplianceOptions>().Bind(configuration.GetSection("Appliance"));
        services.TryAddSingleton<TemplateStore>();
        services.TryAddSingleton<IProfileCatalog>(sp => sp.GetRequiredService<TemplateStore>());
        services.TryAddSingleton<TemplatePreview>();
        services.TryAddSingleton<HostValidator>();
        services.TryAddSingleton<HostDirectory>();
        services.TryAddSingleton<HostService>();
        services.TryAddSingleton<ApiTokens>();
        services.AddOptions<UserOptions>().Configure(o => o.DataDir = configuration["DataDir"] ?? o.DataDir);
        services.TryAddSingleton<UserService>();
        services.TryAddSingleton<TimelineWriter>();
        services.TryAddSingleton<BuildTracker>();
        services.TryAddSingleton<HostResolver>();
        services.TryAddSingleton<InstallerLogWriter>();
        services.TryAddSingleton<InstallerLogs>();
        services.AddOptions<InstallerLogOptions>().Bind(configuration.GetSection("Syslog")).Configure(o => o.Port = SyslogPort(configuration["Syslog:Endpoint"], o.Port));
        services.CheckAtStart<InstallerLogOptions>(rules => rules.Rule(o => Setting.AtLeast("Syslog:MaxLinesPerBuild", o.MaxLinesPerBuild, 1)));
        services.TryAddSingleton<BootConfigs>();
        services.TryAddSingleton<Preseeds>();
        services.TryAddSingleton<IIpMacBindings, InMemoryIpMacBindings>();
        services.TryAddSingleton<DiscoveredMachines>();
        return services;
    }

    /// <summary>The inventory for the running appliance: migrations first, then build tracking in the background.</summary>
    public static IServiceCollection AddBuildTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInventory(configuration);
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
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection("Alerts"));
        services.CheckAtStart<AlertOptions>(rules => rules
            .Rule(o => Setting.HttpUrls("Alerts:Webhooks", o.Webhooks))
            .Rule(o => Setting.AtLeast("Alerts:Attempts", o.Attempts, 1))
            .Rule(o => Setting.Positive("Alerts:Timeout", o.Timeout))
            .Rule(o => Setting.NotNegative("Alerts:FirstRetryDelay", o.FirstRetryDelay))
            .Rule(o => Setting.AtLeast("Alerts:LogLines", o.LogLines, 0)));
        services.TryAddSingleton<RecentAlerts>();
        services.TryAddSingleton<WebhookSender>();
        WebhookSender.Register(services);
        services.TryAddSingleton<AlertCommand>();
        services.AddHostedService<AlertDispatcher>();
        services.AddHostedService<MetricsRecorder>();
        return services;
    }

    /// <summary>The port of <c>Syslog:Endpoint</c> (<c>ADDR:PORT</c>), null for <c>off</c>; unparsable values are the listener's to report.</summary>
    private static int? SyslogPort(string? endpoint, int? fallback) =>
        string.IsNullOrWhiteSpace(endpoint) ? fallback
        : endpoint.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) ? null
        : System.Net.IPEndPoint.TryParse(endpoint, out System.Net.IPEndPoint? parsed) ? parsed.Port : fallback;
}
