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

/// <summary>What may be shown of a token: its id, its name and when it was made.</summary>
public sealed record ApiTokenInfo(int Id, string Name, DateTime CreatedAt);
