using System.Globalization;
using System.Net;
using System.Text;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Power;

/// <summary>
/// Checks a BMC's settings the way its protocol will read them, so a typo is refused when it is
/// typed rather than found at the next power-on. Errors name the field and say what would be right.
/// </summary>
public static class BmcValidator
{
    /// <summary>IPMI 2.0 user names are 16 bytes, passwords 20 (RMCP+ allows 20 with "20-byte passwords" on).</summary>
    public const int IpmiMaxUser = 16;
    public const int IpmiMaxPassword = 20;
    public const int MaxAddressLength = 255;
    public const int MaxUserLength = 64;
    public const int MaxPasswordLength = 128;

    /// <summary>The settings <paramref name="given"/> on top of <paramref name="stored"/> (null: a host without a BMC yet), or the errors.</summary>
    public static (HostBmc? Merged, List<FieldError> Errors) Merge(HostBmc? stored, BmcSettings given, Func<string, string> protect)
    {
        var errors = new List<FieldError>();
        BmcType type = stored?.Type ?? 0;
        if (given.Type is not null && !BmcTypes.TryParse(given.Type, out type))
        {
            errors.Add(new("bmc.type", $"'{given.Type}' is not a BMC type: ipmi or redfish"));
            return (null, errors);
        }
        if (type == 0)
        {
            errors.Add(new("bmc.type", "the host has no BMC yet: give its type (ipmi or redfish), address, user and password"));
            return (null, errors);
        }
        string? address = Clean(given.Address) ?? stored?.Address;
        string? user = given.User ?? stored?.User;
        string? password = given.Password;
        if (address is null)
        {
            errors.Add(new("bmc.address", "the BMC's address is needed"));
        }
        if (string.IsNullOrEmpty(user))
        {
            errors.Add(new("bmc.user", "the BMC user is needed"));
        }
        if (password is null && stored is null)
        {
            errors.Add(new("bmc.password", "the BMC password is needed"));
        }
        if (address is not null)
        {
            address = CheckAddress(type, address, errors);
        }
        if (user is not null && (user.Length > MaxUserLength || user.Any(char.IsControl) || (type == BmcType.Ipmi && Encoding.UTF8.GetByteCount(user) > IpmiMaxUser)))
        {
            errors.Add(new("bmc.user", type == BmcType.Ipmi ? $"IPMI user names are at most {IpmiMaxUser} bytes, without control characters" : $"at most {MaxUserLength} characters, without control characters"));
        }
        if (password is not null && (password.Length == 0 || password.Length > MaxPasswordLength || password.Any(char.IsControl)
            || (type == BmcType.Ipmi && Encoding.UTF8.GetByteCount(password) > IpmiMaxPassword)))
        {
            errors.Add(new("bmc.password", type == BmcType.Ipmi ? $"IPMI passwords are 1 to {IpmiMaxPassword} bytes, without control characters" : $"1 to {MaxPasswordLength} characters, without control characters"));
        }
        string? pin = given.CertificateSha256 is null ? stored?.CertificateSha256 : Fingerprint(given.CertificateSha256, errors);
        bool acceptAny = given.AcceptAnyCertificate ?? stored?.AcceptAnyCertificate ?? false;
        if (type == BmcType.Ipmi)
        {
            // Stored Redfish TLS settings mean nothing once the BMC is IPMI; given ones are a mistake.
            if (!string.IsNullOrEmpty(given.CertificateSha256) || given.AcceptAnyCertificate == true)
            {
                errors.Add(new("bmc.certificate", "certificate settings are for Redfish BMCs (HTTPS); IPMI has none"));
            }
            pin = null;
            acceptAny = false;
        }
        else if (pin is not null && acceptAny)
        {
            errors.Add(new("bmc.certificate", "pin a certificate or accept any, not both"));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new HostBmc
        {
            HostId = stored?.HostId ?? 0,
            Type = type,
            Address = address!,
            User = user!,
            PasswordProtected = password is null ? stored!.PasswordProtected : protect(password),
            CertificateSha256 = pin,
            AcceptAnyCertificate = acceptAny,
            UefiBoot = given.UefiBoot ?? stored?.UefiBoot ?? false,
        }, errors);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string CheckAddress(BmcType type, string address, List<FieldError> errors)
    {
        if (address.Length > MaxAddressLength || address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(new("bmc.address", $"at most {MaxAddressLength} characters, without spaces"));
            return address;
        }
        if (type == BmcType.Redfish)
        {
            if (!address.Contains("://", StringComparison.Ordinal))
            {
                address = "https://" + address;
            }
            if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            {
                errors.Add(new("bmc.address", $"'{address}' is not a Redfish service address like https://bmc.example.org or https://192.0.2.21:8443 (HTTPS only: plain HTTP would send the password in clear)"));
                return address;
            }
            return uri.GetLeftPart(UriPartial.Authority);
        }
        (string host, int port) = IpmiToolDriver.Endpoint(address);
        bool portOk = address == host || port is > 0 and <= 65535;
        if (!portOk || !(IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns) || host.StartsWith('-'))
        {
            errors.Add(new("bmc.address", $"'{address}' is not an IPMI address like 192.0.2.21 or bmc01.example.org:623"));
        }
        return address;
    }

    /// <summary>A SHA-256 fingerprint as people copy it (<c>AB:CD:…</c> or plain hex), as stored: upper-case hex; empty clears.</summary>
    private static string? Fingerprint(string text, List<FieldError> errors)
    {
        string hex = text.Trim().Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length == 0)
        {
            return null;
        }
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            errors.Add(new("bmc.certificate", "a SHA-256 fingerprint is 64 hex digits (colons allowed), as 'openssl x509 -noout -fingerprint -sha256' prints it"));
            return null;
        }
        return hex;
    }

    internal static string Describe(HostBmc bmc) => string.Create(CultureInfo.InvariantCulture, $"{bmc.Type.Name()} {bmc.Address} as {bmc.User}");
}
