using System.ComponentModel.DataAnnotations;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>
/// A host's fields as the add and edit forms post them: plain strings, checked by
/// <see cref="HostValidator"/> (through <see cref="HostService"/>), whose errors name the same fields.
/// </summary>
public sealed class HostForm
{
    public string? Mac { get; set; }

    public string? Hostname { get; set; }

    public string? Domain { get; set; }

    /// <summary>Address with prefix, <c>192.0.2.10/24</c>.</summary>
    [Display(Name = "IP address/prefix")]
    public string? Ip { get; set; }

    public string? Gateway { get; set; }

    /// <summary>Up to three, separated by spaces or commas.</summary>
    public string? Dns { get; set; }

    public string? Profile { get; set; }

    /// <summary>Like <c>ttyS1,115200n8</c>; empty for none.</summary>
    public string? Console { get; set; }

    public string? KernelArgs { get; set; }

    public string? Notes { get; set; }

    /// <summary>SSH public keys for this host only, one per line.</summary>
    public string? SshKeys { get; set; }

    /// <summary>The appliance the host is pinned to; empty for none.</summary>
    public string? Appliance { get; set; }

    // The host's own install settings; empty: the site's (shown as the placeholder).
    public string? Mirror { get; set; }

    public string? Proxy { get; set; }

    public string? TimeZone { get; set; }

    public string? Locale { get; set; }

    public string? Keyboard { get; set; }

    public string? Disk { get; set; }

    public string? Packages { get; set; }

    /// <summary><c>true</c>, <c>false</c>, or empty for the site's.</summary>
    public string? WipeDisks { get; set; }

    public HostFields ToFields() => new()
    {
        Mac = Mac?.Trim(),
        Hostname = Hostname?.Trim(),
        Domain = Blank(Domain),
        Ip = Ip?.Trim(),
        Gateway = Blank(Gateway),
        Dns = (Dns ?? string.Empty).Split([' ', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries),
        Profile = Profile?.Trim(),
        Console = Blank(Console),
        KernelArgs = Blank(KernelArgs),
        Notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes,
        Appliance = Blank(Appliance),
        SshKeys = (SshKeys ?? string.Empty).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Settings = new InstallSettings
        {
            Mirror = Blank(Mirror), Proxy = Blank(Proxy), TimeZone = Blank(TimeZone), Locale = Blank(Locale), Keyboard = Blank(Keyboard),
            Disk = Blank(Disk), Packages = Blank(Packages), WipeDisks = bool.TryParse(WipeDisks, out bool wipe) ? wipe : null,
        },
    };

    public static HostForm From(HostRecord host)
    {
        HostFields fields = HostFields.From(host);
        InstallSettings settings = host.Settings;
        return new HostForm
        {
            Mac = fields.Mac, Hostname = fields.Hostname, Domain = fields.Domain, Ip = fields.Ip, Gateway = fields.Gateway,
            Dns = string.Join(' ', fields.Dns ?? []), Profile = fields.Profile, Console = fields.Console, KernelArgs = fields.KernelArgs, Notes = fields.Notes,
            Appliance = fields.Appliance, SshKeys = string.Join('\n', fields.SshKeys ?? []),
            Mirror = settings.Mirror, Proxy = settings.Proxy, TimeZone = settings.TimeZone, Locale = settings.Locale, Keyboard = settings.Keyboard,
            Disk = settings.Disk, Packages = settings.Packages, WipeDisks = settings.WipeDisks is { } wipe ? (wipe ? "true" : "false") : string.Empty,
        };
    }

    /// <summary>The form field a validator error belongs to (errors are named as in the JSON API).</summary>
    public static string FieldName(FieldError error) => error.Field switch
    {
        "kernelArgs" => nameof(KernelArgs),
        // settings.timeZone: the form has the settings beside the other fields.
        var f when f.StartsWith(HostValidator.SettingsPrefix, StringComparison.Ordinal) => FieldName(error with { Field = f[HostValidator.SettingsPrefix.Length..] }),
        var f when f.Length > 0 => char.ToUpperInvariant(f[0]) + f[1..],
        _ => string.Empty,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
