namespace Provisioner.Core.Templates;

/// <summary>Site-wide values for preseeds (configuration section <c>Preseed</c>).</summary>
public sealed class PreseedOptions
{
    /// <summary>
    /// crypt(3) hash for the installed system's root account (<c>mkpasswd -m sha-512</c>), as
    /// <c>secrets.root_password_hash</c>. Default <c>!</c>: root cannot log in with a password.
    /// </summary>
    public string RootPasswordHash { get; set; } = "!";
}
