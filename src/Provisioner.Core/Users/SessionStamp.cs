using System.Security.Cryptography;
using System.Text;

namespace Provisioner.Core.Users;

/// <summary>
/// What a web UI session carries of the account it was opened for: a digest of the user's id, name,
/// role and password hash. A new password (whose hash has a new salt), a new role or a removed
/// account makes every session opened before it stale, and the next request ends it. The digest
/// reveals nothing of the hash it was made from.
/// </summary>
public static class SessionStamp
{
    /// <summary>The claim the stamp travels in, in the session cookie.</summary>
    public const string ClaimType = "provisioner:stamp";

    public static string Of(UserAccount user)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Id}\n{user.Name}\n{user.Role}\n{user.PasswordHash}"));
        return Convert.ToBase64String(digest, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
