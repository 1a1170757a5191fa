using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Power;

namespace Provisioner.Core;

public static class PowerServiceCollectionExtensions
{
    /// <summary>The directory under the data dir that holds the Data Protection keys on SQLite (owner-only).</summary>
    public const string KeysDirectory = "keys";

    /// <summary>
    /// BMCs and power control (no hosted services; <see cref="AddPowerPolling"/> adds the poller), and
    /// ASP.NET Core Data Protection (BMC passwords, sign-in cookies, antiforgery) with a key ring that
    /// outlives restarts: in the data dir's <c>keys/</c> on SQLite, in the database on PostgreSQL (every
    /// appliance sharing it, and the CLI, read the same keys).
    /// </summary>
    public static IServiceCollection AddPower(this IServiceCollection services)
    {
        // One application name for every appliance and the CLI: what one protected, the others read.
        services.AddDataProtection().SetApplicationName("provisioner");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, InventoryDatabase, ILoggerFactory>((keys, storage, database, logs) =>
            keys.XmlRepository = database.PostgresConnectionString is not null
                ? new DatabaseKeyRepository(database)
                : new FileSystemXmlRepository(KeysDir(storage.Value.DataDir), logs));
        services.AddOptions<PowerOptions>();
        services.TryAddSingleton<BmcSecrets>();
        services.TryAddSingleton<BmcService>();
        services.TryAddSingleton<IpmiToolDriver>();
        services.TryAddSingleton<RedfishDriver>();
        services.TryAddSingleton<PowerDrivers>();
        services.TryAddSingleton<PowerReadings>();
        services.TryAddSingleton<PowerControl>();
        return services;
    }

    public static IServiceCollection AddPowerPolling(this IServiceCollection services)
    {
        services.AddPower();
        services.TryAddSingleton<PowerJobs>();
        services.AddHostedService<PowerPoller>();
        return services;
    }

    private static DirectoryInfo KeysDir(string dataDir)
    {
        string path = Path.Combine(dataDir, KeysDirectory);
        // The keys decrypt every BMC password: only the appliance's own user may read them.
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new DirectoryInfo(path);
    }
}
