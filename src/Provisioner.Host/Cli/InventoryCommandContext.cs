using System.CommandLine;
using Provisioner.Core;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Host.Cli;

/// <summary>
/// What the inventory commands (<c>hosts</c>, <c>token</c>, …) share: the <c>--data-dir</c>,
/// <c>--database</c>, <c>--templates</c>, <c>--config</c> and <c>--init</c> options, the services over
/// the same database <c>serve</c> uses (found through the same settings), and how refusals become
/// messages and exit codes. A command never creates an inventory by accident: where none exists it
/// refuses, naming where it looked, unless given <c>--init</c>.
/// </summary>
internal static class InventoryCommandContext
{
    public const int Refused = 1;
    public const int NotFound = 3;

    /// <summary>sysexits' EX_NOINPUT: a file the command was given cannot be read.</summary>
    public const int NoInput = 66;

    /// <summary>sysexits' EX_CONFIG: the settings name no usable inventory.</summary>
    public const int ConfigError = 78;

    private static readonly (Option<string> Option, string Key)[] Settings =
    [
        (new Option<string>("--data-dir") { Description = $"Where the SQLite database is. Default: DataDir as serve reads it ({ApplianceHost.SystemConfigFile}, ./appsettings.json, PROVISIONER_DATADIR), else ./data", HelpName = "DIR", Recursive = true }, ApplianceSettings.DataDir),
        (new Option<string>("--database") { Description = "PostgreSQL connection string instead of SQLite", HelpName = "CONNSTR", Recursive = true }, ApplianceSettings.Database),
        (new Option<string>("--boot-dir") { Description = "Boot dir (to warn of a profile's missing kernel or initrd). Default: BootDir as serve reads it, else ./boot", HelpName = "DIR", Recursive = true }, ApplianceSettings.BootDir),
        (new Option<string>("--templates") { Description = "Templates directory (for profile names). Default ./templates", HelpName = "DIR", Recursive = true }, ApplianceSettings.Templates),
    ];

    private static readonly Option<string> ConfigFile = new("--config") { Description = "An extra appsettings.json-style file", HelpName = "FILE", Recursive = true };

    private static readonly Option<bool> Init = new("--init")
    {
        Description = "Create a new, empty inventory where none exists yet (without it, a missing inventory is an error: serve creates one at its first start)",
        Recursive = true,
    };

    public static void AddOptions(Command command)
    {
        foreach ((Option<string> option, _) in Settings)
        {
            command.Options.Add(option);
        }
        command.Options.Add(ConfigFile);
        command.Options.Add(Init);
    }

    /// <summary>Runs <paramref name="action"/> with the inventory's services; refusals print one message each and set the exit code.</summary>
    /// <param name="mayCreate">The command makes the inventory itself (restore), so a missing one is not an error.</param>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, Task<int>> action, CancellationToken cancellationToken, bool mayCreate = false)
    {
        Dictionary<string, string?> overrides = Settings
            .Where(s => parse.GetResult(s.Option) is { Implicit: false })
            .ToDictionary(s => s.Key, s => parse.GetValue(s.Option));
        IConfiguration config;
        try
        {
            config = ApplianceHost.AddSources(new ConfigurationBuilder(), overrides, parse.GetValue(ConfigFile)).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return await Fail(ConfigError, ex.Message).ConfigureAwait(false);
        }
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.BindSettings(config);
            services.AddInventory();
            services.AddImages();
            await using ServiceProvider provider = services.BuildServiceProvider();
            InventoryDatabase database = provider.GetRequiredService<InventoryDatabase>();
            try
            {
                if (!mayCreate && !parse.GetValue(Init) && !await database.ExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    return await Fail(ConfigError, $"no inventory at {database.Description}. Point to the one serve uses (--data-dir or --database, "
                        + $"or DataDir/Database in {ApplianceHost.SystemConfigFile}), or pass --init to create an empty one there").ConfigureAwait(false);
                }
                await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await Fail(ConfigError, $"inventory database ({database.Description}) cannot be opened: {ex.GetBaseException().Message}").ConfigureAwait(false);
            }
            using (AuditContext.Begin(Actor.CommandLine()))
            {
                return await action(provider).ConfigureAwait(false);
            }
        }
        catch (InventoryException refused)
        {
            foreach (FieldError error in refused.Errors)
            {
                await Console.Error.WriteLineAsync($"provisioner: {error}").ConfigureAwait(false);
            }
            return refused.Kind == InventoryErrorKind.NotFound ? NotFound : Refused;
        }
        catch (DataDirInUseException inUse)
        {
            return await Fail(Refused, inUse.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // A file the command was given (an import, a backup to restore): not the inventory's fault.
            return await Fail(NoInput, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            return await Fail(ConfigError, ex.Message).ConfigureAwait(false);
        }
    }

    public static async Task<int> Fail(int code, string message)
    {
        await Console.Error.WriteLineAsync($"provisioner: {message}").ConfigureAwait(false);
        return code;
    }
}
