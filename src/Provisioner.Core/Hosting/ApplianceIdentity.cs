using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Hosting;

/// <summary>Which appliance this is, among several sharing one PostgreSQL inventory. Bound from the <c>Appliance</c> section.</summary>
public sealed class ApplianceOptions
{
    /// <summary>
    /// The name timeline events carry and hosts are pinned to: one DNS label, like <c>rack-a</c>.
    /// Default: the first label of this machine's host name, lower-cased, other characters made hyphens.
    /// </summary>
    public string Name { get; set; } = DefaultName(Environment.MachineName);

    /// <summary>A host name that is not a label (an FQDN, an underscore) must not stop start-up: the default is made one.</summary>
    internal static string DefaultName(string machine)
    {
        string first = machine.Split('.')[0].ToLowerInvariant();
        string label = new string([.. first.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        label = label.Length > HostNames.MaxLabelLength ? label[..HostNames.MaxLabelLength].TrimEnd('-') : label;
        return HostNames.IsLabel(label) ? label : "appliance";
    }
}

/// <summary>This appliance's name, checked once, and whether a host is this appliance's to build.</summary>
public sealed class ApplianceIdentity
{
    public ApplianceIdentity(IOptions<ApplianceOptions> options)
    {
        string name = options.Value.Name.Trim().ToLowerInvariant();
        Name = HostNames.IsLabel(name)
            ? name
            : throw new FormatException($"appliance name '{options.Value.Name}' is not one DNS label (letters, digits and hyphens, up to 63): set --appliance");
    }

    public string Name { get; }

    /// <summary>A host pinned to another appliance is not built here: it gets local boot, whatever its state.</summary>
    public bool Builds(HostRecord host) => host.Appliance is null || host.Appliance == Name;
}
