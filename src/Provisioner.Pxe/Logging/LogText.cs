using System.Globalization;
using System.Text;

namespace Provisioner.Pxe.Logging;

/// <summary>
/// Text a client chose (a TFTP file name, an error message), made safe for one log line: control
/// characters escaped, so a name cannot forge lines, and cut to a bound, so a 64 KB name costs one
/// short line and not 64 KB per request.
/// </summary>
public static class LogText
{
    /// <summary>Characters kept of a client's text; the rest is counted, not printed.</summary>
    public const int MaxLength = 200;

    public static string Bounded(string text)
    {
        bool clean = text.Length <= MaxLength;
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            clean &= !char.IsControl(c);
        }
        if (clean)
        {
            return text;
        }
        var line = new StringBuilder(MaxLength + 32);
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            if (char.IsControl(c))
            {
                line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                line.Append(c);
            }
        }
        if (text.Length > MaxLength)
        {
            line.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
        }
        return line.ToString();
    }
}
