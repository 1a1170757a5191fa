using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>A host group's fields as the group forms post them, checked by <see cref="HostGroupValidator"/> (through <see cref="HostGroupService"/>).</summary>
public sealed class GroupForm : InstallSettingsForm
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Domain { get; set; }

    public string? Gateway { get; set; }

    /// <summary>Up to three, separated by spaces or commas.</summary>
    public string? Dns { get; set; }

    public string? Profile { get; set; }

    public string? Console { get; set; }

    public HostGroupFields ToFields() => new()
    {
        Name = Name?.Trim(), Description = Blank(Description) ?? string.Empty, Domain = Blank(Domain) ?? string.Empty, Gateway = Blank(Gateway) ?? string.Empty,
        Dns = (Dns ?? string.Empty).Split([' ', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries),
        Profile = Blank(Profile) ?? string.Empty, Console = Blank(Console) ?? string.Empty, Settings = ToSettings(),
    };

    public static GroupForm From(HostGroup group)
    {
        var form = new GroupForm
        {
            Name = group.Name, Description = group.Description, Domain = group.Domain, Gateway = group.Gateway, Dns = string.Join(' ', group.Dns),
            Profile = group.Profile, Console = group.Console,
        };
        form.Fill(group.Settings);
        return form;
    }
}
