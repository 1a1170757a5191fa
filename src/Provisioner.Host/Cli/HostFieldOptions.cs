using System.CommandLine;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary>
/// The host field options <c>hosts add</c> and <c>hosts edit</c> share. An option left out is null
/// (edit: unchanged); given as an empty string it clears the field (edit), as the API's PATCH does.
/// </summary>
internal sealed class HostFieldOptions
{
    private readonly Option<string> _mac = Field("--mac", "MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff)");
    private readonly Option<string> _hostname = Field("--hostname", "Host name, or FQDN");
    private readonly Option<string> _ip = Field("--ip", "Static address with prefix, like 192.0.2.10/24");
    private readonly Option<string> _gateway = Field("--gateway", "Default gateway, inside the subnet");
    private readonly Option<string[]> _dns = new("--dns") { Description = "DNS server (repeatable)", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string> _domain = Field("--domain", "DNS domain");
    private readonly Option<string> _profile = Field("--profile", $"Profile: an installer (its templates, like debian12) or image:NAME to deploy a built image. Default {HostValidator.DefaultProfile}");
    private readonly Option<string> _console = Field("--console", "Serial console like ttyS1,115200n8, or none");
    private readonly Option<string> _kernelArgs = Field("--kernel-args", "Extra kernel arguments for the installer");
    private readonly Option<string> _notes = Field("--notes", "Free-form notes");
    private readonly Option<string> _appliance = Field("--appliance", "Pin the host to this appliance (its --appliance name); default: whichever sees it boot");
    private readonly Option<string[]> _sshKey = new("--ssh-key") { Description = "An SSH public key line for this host only, besides the site's keys (repeatable)" };
    private readonly Option<string> _group = Field("--group", "The host's group: what this command leaves empty comes from it (none: an explicit 'no value' for --gateway, --domain, --console, --dns)");
    private readonly InstallSettingsOptions _settings = new();

    /// <summary>A string option with its help text: every field-like option of the hosts commands.</summary>
    internal static Option<string> Field(string name, string description) => new(name) { Description = description };

    private IEnumerable<Option> All => [_mac, _hostname, _ip, _gateway, _dns, _domain, _profile, _console, _kernelArgs, _notes, _appliance, _sshKey, _group];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
        _settings.AddTo(command);
    }

    /// <summary>Whether the command line gave any field at all (an edit without one changes nothing).</summary>
    public bool AnyGiven(ParseResult parse) => All.Concat(_settings.All).Any(o => parse.GetResult(o) is { Implicit: false });

    public HostFields From(ParseResult parse) => new()
    {
        Mac = parse.GetValue(_mac), Hostname = parse.GetValue(_hostname), Ip = parse.GetValue(_ip), Gateway = parse.GetValue(_gateway),
        Dns = parse.GetValue(_dns), Domain = parse.GetValue(_domain), Profile = parse.GetValue(_profile), Console = parse.GetValue(_console),
        KernelArgs = parse.GetValue(_kernelArgs), Notes = parse.GetValue(_notes), Appliance = parse.GetValue(_appliance), SshKeys = parse.GetValue(_sshKey),
        Settings = _settings.From(parse), Group = parse.GetValue(_group),
    };
}
