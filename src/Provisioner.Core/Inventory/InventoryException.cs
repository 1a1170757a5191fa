namespace Provisioner.Core.Inventory;

public enum InventoryErrorKind
{
    /// <summary>A field is malformed (HTTP 400).</summary>
    Invalid,

    /// <summary>A MAC, hostname or IP already belongs to another host (HTTP 409).</summary>
    Conflict,

    /// <summary>No such host (HTTP 404).</summary>
    NotFound,
}

/// <summary>An inventory change that was refused; nothing was saved. Every problem is in <see cref="Errors"/>.</summary>
public sealed class InventoryException(InventoryErrorKind kind, IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors))
{
    public InventoryErrorKind Kind { get; } = kind;

    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static InventoryException NotFound(string what) => new(InventoryErrorKind.NotFound, [new("host", $"no host {what}")]);
}
