using System.ComponentModel.DataAnnotations;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>
/// A host's fields as the add and edit forms post them: plain strings, checked by
/// <see cref="HostValidator"/> (through <see cref="HostService"/>), whose errors name the same fields.
/// </summary>
public sealed class HostForm : InstallSettingsForm
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

    /// <summary>The host's group by name; empty for none.</summary>
    public string? Group { get; set; }

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
        Settings = ToSettings(),
        Group = Blank(Group) ?? string.Empty,
    };

    public static HostForm From(HostRecord host)
    {
        HostFields fields = HostFields.From(host);
        var form = new HostForm
        {
            Mac = fields.Mac, Hostname = fields.Hostname, Domain = fields.Domain, Ip = fields.Ip, Gateway = fields.Gateway,
            Dns = string.Join(' ', fields.Dns ?? []), Profile = fields.Profile, Console = fields.Console, KernelArgs = fields.KernelArgs, Notes = fields.Notes,
            Appliance = fields.Appliance, SshKeys = string.Join('\n', fields.SshKeys ?? []), Group = fields.Group,
        };
        form.Fill(fields.Settings ?? new());
        return form;
    }

}
