namespace Provisioner.Core.Users;

/// <summary>Someone who signs in to the web UI.</summary>
public sealed class UserAccount
{
    public int Id { get; set; }

    /// <summary>Lower case, unique; see <see cref="UserService.IsValidName"/>.</summary>
    public required string Name { get; set; }

    /// <summary><see cref="PasswordHashing"/>'s encoded PBKDF2 hash; never the password.</summary>
    public required string PasswordHash { get; set; }

    public UserRole Role { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime PasswordChangedAt { get; set; }

    /// <summary>
    /// The password was set by someone else (the appliance's first admin, an admin adding the user or
    /// resetting it on the CLI): the next sign-in asks for a new one. Cleared when the user sets their own.
    /// </summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>What a user may do. Stored by name.</summary>
public enum UserRole
{
    /// <summary>Reads everything, changes nothing but their own password.</summary>
    Viewer,

    /// <summary>Changes hosts, builds and users.</summary>
    Admin,
}
