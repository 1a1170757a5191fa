using System.Text;

namespace Provisioner.Pxe.Syslog;

/// <summary>
/// Reads syslog datagrams in both shapes seen on the wire: RFC 5424 (<c>&lt;PRI&gt;1 TIMESTAMP HOST
/// APP PROCID MSGID SD MSG</c>) and the BSD format of RFC 3164 that busybox syslogd (the Debian
/// installer's) forwards (<c>&lt;PRI&gt;Mmm dd hh:mm:ss [HOST ]TAG[PID]: MSG</c>). Malformed input
/// returns false; nothing here throws on what a peer sends.
/// </summary>
public static class SyslogWire
{
    /// <summary>RFC 5424 §6.1 allows receivers to truncate beyond 2048 octets; RFC 3164 §4.1 caps a packet at 1024.</summary>
    public const int MaxTextLength = 2048;

    // RFC 3164 §4.1.2: TIMESTAMP is "Mmm dd hh:mm:ss", always 15 characters (day padded with a space).
    private const int BsdTimestampLength = 15;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static bool TryRead(ReadOnlySpan<byte> datagram, out SyslogMessage message)
    {
        message = null!;
        if (!TryReadPriority(datagram, out int priority, out int consumed))
        {
            return false;
        }
        string rest;
        try
        {
            rest = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(datagram[consumed..]);
        }
        catch (ArgumentException)
        {
            return false;
        }
        rest = Clean(rest);
        (string tag, string text) = rest.StartsWith("1 ", StringComparison.Ordinal) ? Rfc5424(rest[2..]) : Bsd(rest);
        if (text.Length == 0)
        {
            return false;
        }
        message = new SyslogMessage(priority / 8, priority % 8, tag, text.Length > MaxTextLength ? text[..MaxTextLength] : text);
        return true;
    }

    /// <summary>RFC 5424 §6.2.1 / RFC 3164 §4.1.1: "&lt;" 1–3 digits "&gt;", no leading zeros but "&lt;0&gt;", value 0–191.</summary>
    private static bool TryReadPriority(ReadOnlySpan<byte> data, out int priority, out int consumed)
    {
        priority = 0;
        consumed = 0;
        if (data.Length < 3 || data[0] != '<')
        {
            return false;
        }
        int i = 1;
        while (i < data.Length && i <= 4 && data[i] is >= (byte)'0' and <= (byte)'9')
        {
            priority = (priority * 10) + (data[i] - '0');
            i++;
        }
        int digits = i - 1;
        if (digits is 0 or > 3 || i >= data.Length || data[i] != '>' || priority > 191 || (digits > 1 && data[1] == '0'))
        {
            return false;
        }
        consumed = i + 1;
        return true;
    }

    /// <summary>RFC 5424 §6: after VERSION, TIMESTAMP HOSTNAME APP-NAME PROCID MSGID each end at a space, "-" meaning none.</summary>
    private static (string Tag, string Text) Rfc5424(string rest)
    {
        string[] fields = rest.Split(' ', 6);
        if (fields.Length < 6)
        {
            return (string.Empty, string.Empty);
        }
        string app = fields[2] == "-" ? string.Empty : fields[2];
        string procId = fields[3] == "-" ? string.Empty : fields[3];
        string message = SkipStructuredData(fields[5]);
        // RFC 5424 §6.4: MSG may start with a UTF-8 BOM.
        message = message.TrimStart('\uFEFF');
        string label = app.Length == 0 ? string.Empty : procId.Length == 0 ? $"{app}: " : $"{app}[{procId}]: ";
        return (app, label + message);
    }

    /// <summary>STRUCTURED-DATA is "-" or one or more [ … ] elements (with \] escapes) (RFC 5424 §6.3).</summary>
    private static string SkipStructuredData(string text)
    {
        if (text.StartsWith('-'))
        {
            return text.Length > 1 ? text[1..].TrimStart(' ') : string.Empty;
        }
        int i = 0;
        while (i < text.Length && text[i] == '[')
        {
            i++;
            while (i < text.Length && text[i] != ']')
            {
                i += text[i] == '\\' ? 2 : 1;
            }
            i++;
        }
        return i >= text.Length ? string.Empty : text[i..].TrimStart(' ');
    }

    /// <summary>
    /// RFC 3164 §4.1.2–4.1.3: an optional timestamp and hostname, then TAG (ends at '[' or ':') and
    /// CONTENT. Without a tag ("host message" or plain text) the whole rest is the text.
    /// </summary>
    private static (string Tag, string Text) Bsd(string rest)
    {
        if (HasBsdTimestamp(rest))
        {
            rest = rest[BsdTimestampLength..].TrimStart(' ');
        }
        // "host tag[pid]: msg" or "tag[pid]: msg": the first word is a host when it is no tag and the second is.
        string first = FirstWord(rest);
        if (!IsTagWord(first))
        {
            string afterHost = rest[first.Length..].TrimStart(' ');
            if (IsTagWord(FirstWord(afterHost)))
            {
                rest = afterHost;
            }
        }
        string word = FirstWord(rest);
        return (IsTagWord(word) ? word[..word.IndexOfAny(['[', ':'])] : string.Empty, rest);
    }

    private static string FirstWord(string text) => text.IndexOf(' ', StringComparison.Ordinal) is var space and >= 0 ? text[..space] : text;

    /// <summary>"tag:" or "tag[pid]:", the tag at most 64 characters (RFC 3164 says 32; programs exceed it).</summary>
    private static bool IsTagWord(string word) =>
        word.Length > 1 && word.EndsWith(':') && word.IndexOfAny(['[', ':']) is var end and > 0 and <= 64;

    private static bool HasBsdTimestamp(string text) =>
        text.Length > BsdTimestampLength && Array.IndexOf(Months, text[..3]) >= 0 && text[3] == ' '
        && text[6] == ' ' && text[9] == ':' && text[12] == ':' && text[BsdTimestampLength] == ' ';

    /// <summary>Control characters (a trailing newline, escape sequences) are not part of a stored line.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsControl(c))
            {
                builder.Append(c);
            }
            else if (c == '\t')
            {
                builder.Append(' ');
            }
        }
        return builder.ToString().Trim();
    }
}
