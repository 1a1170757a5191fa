namespace Provisioner.Core.Inventory.Data;

/// <summary>One ASP.NET Core Data Protection key (its XML), for appliances that share a PostgreSQL inventory (<see cref="DatabaseKeyRepository"/>).</summary>
public sealed class DataProtectionKeyRow
{
    public int Id { get; set; }

    /// <summary>The key's <c>id</c> attribute, as Data Protection names it.</summary>
    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }
}
