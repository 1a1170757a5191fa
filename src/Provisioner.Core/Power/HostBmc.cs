namespace Provisioner.Core.Power;

/// <summary>
/// A host's baseboard management controller: how to reach it and who to sign in as. The password is
/// kept only encrypted (<see cref="BmcSecrets"/>) and never leaves the appliance: not in the API's
/// answers, exports, pages or logs.
/// </summary>
public sealed class HostBmc
{
    /// <summary>The host's id: one BMC per host; removed with the host.</summary>
    public int HostId { get; set; }

    public BmcType Type { get; set; }

    /// <summary>
    /// IPMI: a host name or IPv4 address, optionally <c>:port</c> (623). Redfish: the service's base URL,
    /// <c>https://bmc.example.org[:port]</c>.
    /// </summary>
    public required string Address { get; set; }

    public required string User { get; set; }

    /// <summary>The password, encrypted with ASP.NET Core Data Protection (<see cref="BmcSecrets"/>).</summary>
    public required string PasswordProtected { get; set; }

    /// <summary>
    /// Redfish over HTTPS: the SHA-256 fingerprint (upper-case hex) of the one certificate this BMC may
    /// present (BMCs ship self-signed ones), or null to trust what the machine's CA store trusts.
    /// </summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>Redfish: accept any certificate from this BMC (an explicit per-BMC choice; there is no global switch).</summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>Ask for UEFI network boot (IPMI boot flag "EFI", Redfish <c>BootSourceOverrideMode=UEFI</c>) rather than leaving the mode as it is.</summary>
    public bool UefiBoot { get; set; }

    public DateTime UpdatedAt { get; set; }
}
