namespace Provisioner.Core.Power;

/// <summary>
/// A BMC as the CLI, API, UI and import give it. For a host without one, type, address, user and
/// password are needed; for a host with one, what is null stays as it was (the password too: it is
/// never shown, so leaving it out keeps it). An empty certificate fingerprint clears the pin.
/// </summary>
public sealed record BmcSettings(
    string? Type = null,
    string? Address = null,
    string? User = null,
    string? Password = null,
    string? CertificateSha256 = null,
    bool? AcceptAnyCertificate = null,
    bool? UefiBoot = null);

/// <summary>A BMC as the appliance shows it: everything but the password, which is only said to be set.</summary>
public sealed record BmcInfo(string Type, string Address, string User, bool PasswordSet, string? CertificateSha256, bool AcceptAnyCertificate, bool UefiBoot, DateTime UpdatedAt)
{
    public static BmcInfo Of(HostBmc bmc) =>
        new(bmc.Type.Name(), bmc.Address, bmc.User, bmc.PasswordProtected.Length > 0, bmc.CertificateSha256, bmc.AcceptAnyCertificate, bmc.UefiBoot, bmc.UpdatedAt);
}
