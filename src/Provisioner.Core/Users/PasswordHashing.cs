using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioner.Core.Users;

/// <summary>
/// PBKDF2-HMAC-SHA256 (the framework's own, no extra package), encoded as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> so the cost can be raised later without breaking old hashes.
/// </summary>
public static class PasswordHashing
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; about 0.3 s here, once per sign-in.</summary>
    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password) => Hash(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations);

    internal static string Hash(string password, byte[] salt, int iterations)
    {
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>False for a wrong password and for a hash this code did not write; compares in constant time.</summary>
    public static bool Verify(string password, string encoded)
    {
        string[] parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
        {
            return false;
        }
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
