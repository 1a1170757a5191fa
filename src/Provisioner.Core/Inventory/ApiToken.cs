namespace Provisioner.Core.Inventory;

/// <summary>A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }
}
