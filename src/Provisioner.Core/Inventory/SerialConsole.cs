using System.Globalization;
using System.Text.RegularExpressions;

namespace Provisioner.Core.Inventory;

/// <summary>
/// A serial console as the kernel's <c>console=</c> argument writes it: <c>ttyS1,115200n8</c>
/// (device, then speed, parity and bits). Templates use its parts for the installer's kernel line,
/// the installed system's GRUB (<c>serial --unit=1 --speed=115200</c>) and its getty.
/// </summary>
public sealed partial record SerialConsole(string Device, int Unit, int Speed, string Options)
{
    [GeneratedRegex(@"^(?<device>tty[A-Za-z]{1,8}(?<unit>[0-9]{1,3}))(,(?<speed>[0-9]{3,7})(?<rest>[noe][5-8]?r?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Empty text or <c>none</c> is no console (null, true); anything else must match.</summary>
    public static bool TryParse(string? text, out SerialConsole? console)
    {
        console = null;
        string trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        Match match = Pattern().Match(trimmed);
        if (!match.Success)
        {
            return false;
        }
        int speed = match.Groups["speed"].Success ? int.Parse(match.Groups["speed"].Value, CultureInfo.InvariantCulture) : 9600;
        string options = match.Groups["rest"].Success ? match.Groups["rest"].Value : "n8";
        console = new SerialConsole(match.Groups["device"].Value, int.Parse(match.Groups["unit"].Value, CultureInfo.InvariantCulture), speed, options);
        return true;
    }

    /// <summary><c>ttyS1,115200n8</c>.</summary>
    public override string ToString() => $"{Device},{Speed.ToString(CultureInfo.InvariantCulture)}{Options}";
}
