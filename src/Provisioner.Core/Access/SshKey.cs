namespace Provisioner.Core.Access;

/// <summary>A site-wide SSH public key: every installed system gets it for root and for the admin user.</summary>
public sealed class SshKey
{
    public int Id { get; set; }

    /// <summary>What the key is, for people: the name given when it was added, else its comment.</summary>
    public required string Name { get; set; }

    /// <summary>The key as <see cref="SshPublicKey.Line"/> writes it: type, key data, comment.</summary>
    public required string Line { get; set; }

    /// <summary><see cref="SshPublicKey.Fingerprint"/>; unique, so one key is stored once.</summary>
    public required string Fingerprint { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A stored key as the CLI, API and UI show it.</summary>
public sealed record SshKeyInfo(int Id, string Name, string Algorithm, int Bits, string Fingerprint, string Line, DateTime CreatedAt)
{
    public static SshKeyInfo Of(SshKey key)
    {
        // Stored lines were read on the way in; one edited in the database by hand shows as "?".
        return SshPublicKey.TryParse(key.Line, out SshPublicKey? parsed, out _)
            ? new(key.Id, key.Name, parsed.Algorithm, parsed.Bits, key.Fingerprint, key.Line, key.CreatedAt)
            : new(key.Id, key.Name, "?", 0, key.Fingerprint, key.Line, key.CreatedAt);
    }
}
