using System.CommandLine;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary>The install-settings options <c>hosts add</c> and <c>groups add</c> share (<see cref="InstallSettings"/>).</summary>
internal sealed class InstallSettingsOptions
{
    private readonly Option<string> _mirror = new("--mirror") { Description = "Package mirror URL like http://mirror.example.org/debian; default: the group's, the site's, else the profile's" };
    private readonly Option<string> _proxy = new("--proxy") { Description = "HTTP proxy URL for the installer and the installed system, or none" };
    private readonly Option<string> _timeZone = new("--time-zone") { Description = "Time zone like Europe/Berlin; default: the group's, the site's, else Etc/UTC" };
    private readonly Option<string> _locale = new("--locale") { Description = "Locale like en_US.UTF-8" };
    private readonly Option<string> _keyboard = new("--keyboard") { Description = "Keyboard (X keymap) like us or de" };
    private readonly Option<string> _disk = new("--disk") { Description = "Disk to install on, like /dev/sda; default: the first disk" };
    private readonly Option<string> _packages = new("--packages") { Description = "Extra packages, separated by spaces, or none" };
    private readonly Option<bool?> _wipeDisks = new("--wipe-disks") { Description = "Remove old LVM and RAID on the disk without asking (true or false); default: the site's, else true" };

    public IEnumerable<Option> All => [_mirror, _proxy, _timeZone, _locale, _keyboard, _disk, _packages, _wipeDisks];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    public InstallSettings From(ParseResult parse) => new()
    {
        Mirror = parse.GetValue(_mirror), Proxy = parse.GetValue(_proxy), TimeZone = parse.GetValue(_timeZone), Locale = parse.GetValue(_locale),
        Keyboard = parse.GetValue(_keyboard), Disk = parse.GetValue(_disk), Packages = parse.GetValue(_packages), WipeDisks = parse.GetValue(_wipeDisks),
    };
}
