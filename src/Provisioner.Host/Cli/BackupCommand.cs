using System.CommandLine;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner backup FILE</c> and <c>provisioner restore FILE</c>: the SQLite inventory, online.</summary>
internal static class BackupCommand
{
    public static Command CreateBackup()
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the backup (a SQLite file)" };
        var command = new Command("backup", "Copy the inventory to FILE while the appliance keeps running (SQLite's online backup). For PostgreSQL, prints how to use pg_dump.") { file };
        InventoryCommandContext.AddOptions(command);
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, services =>
        {
            if (SqlitePath(services) is not { } database)
            {
                return InventoryCommandContext.Fail(InventoryCommandContext.Refused, InventoryBackup.PostgresAdvice);
            }
            BackupSummary done = InventoryBackup.Backup(database, parse.GetValue(file)!);
            Console.WriteLine($"backed up {done.Hosts} hosts and {done.Events} timeline events ({done.Bytes} bytes) to {done.File}");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    public static Command CreateRestore()
    {
        var file = new Argument<string>("FILE") { Description = "A file written by provisioner backup" };
        var command = new Command("restore", "Replace the inventory with FILE (the appliance must be stopped); the replaced database is kept beside it.") { file };
        InventoryCommandContext.AddOptions(command);
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            if (SqlitePath(services) is not { } database)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, InventoryBackup.PostgresAdvice).ConfigureAwait(false);
            }
            using DataDirLock held = DataDirLock.Acquire(services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir, "restore");
            (BackupSummary restored, string? kept) = InventoryBackup.Restore(parse.GetValue(file)!, database, DateTimeOffset.UtcNow);
            // A backup from an older version gets this version's later migrations now, not at the next start.
            await services.GetRequiredService<InventoryDatabase>().MigrateAsync(ct).ConfigureAwait(false);
            Console.WriteLine($"restored {restored.Hosts} hosts and {restored.Events} timeline events from {restored.File}");
            if (kept is not null)
            {
                Console.WriteLine($"the replaced database is kept as {kept}");
            }
            return 0;
        }, ct, mayCreate: true));
        return command;
    }

    private static string? SqlitePath(IServiceProvider services) => services.GetRequiredService<InventoryDatabase>().SqlitePath;
}
