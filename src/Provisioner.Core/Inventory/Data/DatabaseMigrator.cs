using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Inventory.Data;

/// <summary>Applies pending migrations before anything else starts serving.</summary>
internal sealed partial class DatabaseMigrator(InventoryDatabase database, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DatabaseUnavailableException($"inventory database ({database.Description}) cannot be opened: {ex.GetBaseException().Message}", ex);
        }
        LogReady(database.Description);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory: {Database}")]
    private partial void LogReady(string database);
}

/// <summary>The database could not be opened or migrated; start-up stops with this one line.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
