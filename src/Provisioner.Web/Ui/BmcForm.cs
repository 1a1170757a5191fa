using Provisioner.Core.Power;

namespace Provisioner.Web.Ui;

/// <summary>A host's BMC as the host page's form posts it. The password is never put back in the form: left empty, the stored one stays.</summary>
public sealed class BmcForm
{
    public string? Type { get; set; } = "ipmi";

    public string? Address { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    public string? CertificateSha256 { get; set; }

    public bool AcceptAnyCertificate { get; set; }

    public bool UefiBoot { get; set; }

    public BmcSettings ToSettings() => new(Type, Address, User, string.IsNullOrEmpty(Password) ? null : Password,
        CertificateSha256 ?? string.Empty, AcceptAnyCertificate, UefiBoot);

    public static BmcForm From(BmcInfo? bmc) => bmc is null ? new BmcForm() : new BmcForm
    {
        Type = bmc.Type, Address = bmc.Address, User = bmc.User, CertificateSha256 = bmc.CertificateSha256,
        AcceptAnyCertificate = bmc.AcceptAnyCertificate, UefiBoot = bmc.UefiBoot,
    };
}
