using System.Text.RegularExpressions;

namespace Provisioner.Core.Builds;

/// <summary>
/// The Debian installer's progress, read from its log: <c>main-menu</c> logs
/// <c>INFO: Menu item 'partman-base' selected</c> each time it runs the next component. Known
/// items map to a step name and a rough percentage (see <see cref="BuildProgress"/>); the order is
/// d-i's own with a preseeded network install.
/// </summary>
public static partial class InstallerSteps
{
    // By prefix, first match wins: "partman" covers partman-base, partman-auto, ...
    private static readonly (string Prefix, string Name, int Percent)[] Known =
    [
        ("localechooser", "choosing language", 36),
        ("console-setup", "keyboard", 37),
        ("keyboard", "keyboard", 37),
        ("ethdetect", "detecting network hardware", 38),
        ("hw-detect", "detecting hardware", 38),
        ("netcfg", "configuring the network", 40),
        ("network-preseed", "loading the preseed", 44),
        ("choose-mirror", "choosing a mirror", 52),
        ("download-installer", "loading installer components", 54),
        ("user-setup", "setting up users", 56),
        ("clock-setup", "setting the clock", 58),
        ("partman", "partitioning", 62),
        ("bootstrap-base", "installing the base system", 66),
        ("base-installer", "installing the base system", 66),
        ("apt-setup", "configuring apt", 72),
        ("pkgsel", "installing software", 76),
        ("grub-installer", "installing GRUB", 86),
        ("nobootloader", "no boot loader", 86),
        ("finish-install", "finishing the installation", 90),
    ];

    /// <summary>The menu item <c>main-menu</c> says it selected, or null for any other line.</summary>
    public static string? SelectedItem(string tag, string text) =>
        tag == "main-menu" && MenuItem().Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>A step name and percentage for a menu item; unknown items keep the current percentage (null).</summary>
    public static (string Name, int? Percent) Describe(string item)
    {
        foreach ((string prefix, string name, int percent) in Known)
        {
            if (item.StartsWith(prefix, StringComparison.Ordinal))
            {
                return ($"installer: {name} ({item})", percent);
            }
        }
        return ($"installer: {item}", null);
    }

    [GeneratedRegex(@"Menu item '([A-Za-z0-9][A-Za-z0-9._+-]{0,63})' selected")]
    private static partial Regex MenuItem();
}
