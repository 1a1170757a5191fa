using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Provisioner.Core.Power;

/// <summary>
/// Encrypts BMC passwords for the database and decrypts them for a driver, with ASP.NET Core Data
/// Protection: keys in the data dir (SQLite) or in the shared database (PostgreSQL, so every appliance
/// can read what another stored); see <c>PowerServiceCollectionExtensions</c>.
/// </summary>
public sealed class BmcSecrets(IDataProtectionProvider provider)
{
    // A purpose of its own: nothing else protected with these keys (sign-in cookies) decrypts as a password.
    private readonly IDataProtector _protector = provider.CreateProtector("Provisioner.Power.BmcPassword.v1");

    public string Protect(string password) => _protector.Protect(password);

    /// <summary>The password, or a <see cref="PowerException"/> when the keys that encrypted it are gone (a data dir restored without its <c>keys/</c>).</summary>
    public string Unprotect(string protectedPassword)
    {
        try
        {
            return _protector.Unprotect(protectedPassword);
        }
        catch (CryptographicException)
        {
            throw new PowerException("the stored BMC password cannot be decrypted (the data protection keys that encrypted it are not here): set it again with 'provisioner hosts bmc'");
        }
    }
}
