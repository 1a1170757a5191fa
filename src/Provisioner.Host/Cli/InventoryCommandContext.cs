using System.CommandLine;
using Provisioner.Core;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Host.Cli;

/// <summary>
/// What the inventory commands (<c>hosts</c>, <c>token</c>) share: the <c>--data-dir</c>,
/// <c>--database</c>, <c>--templates</c> and <c>--config</c> options, the services over the same
/// database <c>serve</c> uses, and how refusals become messages and exit codes.
/// </summary>
internal static class InventoryCommandContext
{
    public const int Refused = 1;
    public const int NotFound = 3;
    public const int ConfigError = 78;

    private static readonly (Option<string> Option, string Key)[] Settings =
    [
        (new Option<string>("--data-dir") { Description = "Where the SQLite database is. Default ./data", HelpName = "DIR", Recursive = true }, ApplianceSettings.DataDir),
        (new Option<string>("--database") { Description = "PostgreSQL connection string instead of SQLite", HelpName = "CONNSTR", Recursive = true }, ApplianceSettings.Database),
        (new Option<string>("--templates") { Description = "Templates directory (for profile names). Default ./templates", HelpName = "DIR", Recursive = true }, ApplianceSettings.Templates),
    ];

    private static readonly Option<string> ConfigFile = new("--config") { Description = "An extra appsettings.json-style file", HelpName = "FILE", Recursive = true };

    public static void AddOptions(Command command)
    {
        foreach ((Option<string> option, _) in Settings)
        {
            command.Options.Add(option);
        }
        command.Options.Add(ConfigFile);
    }

    /// <summary>Runs <paramref name="action"/> with the inventory's services; refusals print one message each and set the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, Task<int>> action, CancellationToken cancellationToken)
    {
        Dictionary<string, string?> overrides = Settings
            .Where(s => parse.GetResult(s.Option) is { Implicit: false })
            .ToDictionary(s => s.Key, s => parse.GetValue(s.Option));
        try
        {
            IConfiguration config = ApplianceHost.AddSources(new ConfigurationBuilder(), overrides, parse.GetValue(ConfigFile)).Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.BindSettings(config);
            services.AddInventory();
            await using ServiceProvider provider = services.BuildServiceProvider();
            InventoryDatabase database = provider.GetRequiredService<InventoryDatabase>();
            try
            {
                await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await Fail(ConfigError, $"inventory database ({database.Description}) cannot be opened: {ex.GetBaseException().Message}").ConfigureAwait(false);
            }
            return await action(provider).ConfigureAwait(false);
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
        catch (Exception ex) when (ex is FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
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
