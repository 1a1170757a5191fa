namespace Provisioner.Core.Inventory.Data;

/// <summary>Where the appliance keeps its state (keys <c>DataDir</c> and <c>Database</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// The SQLite database (<c>provisioner.db</c>), the first admin's password file, the data-protection
    /// keys and the lock that keeps a second appliance off them. Default <c>./data</c>.
    /// </summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>A PostgreSQL connection string, shared by several appliances; default none: SQLite in <see cref="DataDir"/>.</summary>
    public string? Database { get; set; }
}
