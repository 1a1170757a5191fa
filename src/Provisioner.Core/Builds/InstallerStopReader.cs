using System.Text.RegularExpressions;

namespace Provisioner.Core.Builds;

/// <summary>
/// Reads one build's installer log, line by line, for the moment d-i stops and waits for a person,
/// and says why in the installer's own words. An unattended install never shows a screen, so either
/// sign means nobody is coming and the build has failed:
/// <list type="bullet">
/// <item><c>main-menu</c> logs <c>WARNING **: Configuring 'download-installer' failed with error code 1</c>
/// (or <c>Menu item '…' failed.</c>) when a component exits with an error; it then shows its menu.</item>
/// <item>cdebconf, started with <c>DEBCONF_DEBUG=developer</c> on the kernel line (the shipped
/// templates do), logs every protocol command: <c>--&gt; INPUT critical mirror/bad</c> answered
/// <c>&lt;-- 0 …</c> means the question will be shown; a preseeded or lower-priority one is
/// answered 30 ("question skipped"), see debconf-devel(7). So a question the preseed did not answer,
/// including the error notes d-i shows (<c>retriever/net/error</c> when anna cannot download a udeb,
/// <c>mirror/bad</c>), is seen the moment it is asked.</item>
/// </list>
/// The reason carries the last complaints the log held during the current menu item
/// (<c>anna: ERROR 404: Not Found.</c>, <c>anna: WARNING **: package retrieval failed</c>). Pure: no
/// clock, no I/O; one instance per build, not thread-safe.
/// </summary>
public sealed partial class InstallerStopReader
{
    private const int MaxComplaints = 3;
    private const int MaxComplaintLength = 200;

    private readonly Queue<string> _complaints = new(MaxComplaints);
    private string? _item;
    private string? _asking;
    private readonly List<string> _substitutions = [];
    private string _askedWith = string.Empty;

    /// <summary>Takes the next line; returns why the installer stopped when this line shows it, else null.</summary>
    public string? Read(string tag, string text)
    {
        string body = Body(tag, text);
        if (IsDebconf(tag))
        {
            if (DebconfInput().Match(body) is { Success: true } input)
            {
                _asking = input.Groups[1].Value;
                // What the question's text was filled in with: for preseed/command_failed, the command and its exit code.
                _askedWith = string.Join("; ", _substitutions);
                _substitutions.Clear();
                return null;
            }
            if (DebconfSubstitution().Match(body) is { Success: true } substitution && substitution.Groups[1].Value != "ID")
            {
                string value = substitution.Groups[2].Value;
                _substitutions.Add($"{substitution.Groups[1].Value} {(value.Length <= MaxComplaintLength ? value : value[..MaxComplaintLength] + "…")}");
                return null;
            }
            if (_asking is { } question && DebconfReply().Match(body) is { Success: true } reply)
            {
                _asking = null;
                return reply.Groups[1].Value == "0"
                    ? Stopped($"waiting for an answer to {question}{(_askedWith.Length > 0 ? $" [{_askedWith}]" : string.Empty)}")
                    : null;
            }
            return null;
        }
        if (InstallerSteps.SelectedItem(tag, text) is { } item)
        {
            // A new component: what earlier ones complained about is not its reason.
            _item = item;
            _complaints.Clear();
            return null;
        }
        if (tag == "main-menu" && ItemFailed().Match(body) is { Success: true } failed)
        {
            string code = failed.Groups[2].Success ? $" with error code {failed.Groups[2].Value}" : string.Empty;
            _item = failed.Groups[1].Value;
            return Stopped($"{failed.Groups[1].Value} failed{code}");
        }
        if (Complaint().IsMatch(body))
        {
            Remember($"{tag}: {body}");
        }
        return null;
    }

    /// <summary>
    /// cdebconf's protocol trace other than INPUT (GET, SET, METAGET, their answers): thousands of
    /// lines an operator reading the log does not need. INPUT lines stay: they say which questions came up.
    /// </summary>
    public static bool IsDebconfChatter(string tag, string text)
    {
        if (!IsDebconf(tag))
        {
            return false;
        }
        string body = Body(tag, text);
        return (body.StartsWith("--> ", StringComparison.Ordinal) || body.StartsWith("<-- ", StringComparison.Ordinal))
            && !DebconfInput().IsMatch(body);
    }

    private string Stopped(string what)
    {
        string at = _item is null ? string.Empty : $" at {_item}";
        string said = _complaints.Count == 0 ? string.Empty : $" ({string.Join("; ", _complaints)})";
        return $"installer stopped{at}: {what}{said}";
    }

    private void Remember(string line)
    {
        string cut = line.Length <= MaxComplaintLength ? line : line[..MaxComplaintLength] + "…";
        if (_complaints.Contains(cut))
        {
            return;
        }
        if (_complaints.Count == MaxComplaints)
        {
            _complaints.Dequeue();
        }
        _complaints.Enqueue(cut);
    }

    private static bool IsDebconf(string tag) => tag is "debconf" or "frontend";

    /// <summary>The line without its leading <c>tag[pid]: </c>, which the syslog text repeats.</summary>
    private static string Body(string tag, string text)
    {
        if (tag.Length == 0 || !text.StartsWith(tag, StringComparison.Ordinal))
        {
            return text.Trim();
        }
        int at = tag.Length;
        if (at < text.Length && text[at] == '[')
        {
            int close = text.IndexOf(']', at);
            at = close < 0 ? at : close + 1;
        }
        if (at < text.Length && text[at] == ':')
        {
            at++;
        }
        return text[at..].Trim();
    }

    /// <summary>cdebconf's debug line for a SUBST: <c>Adding [CODE] -&gt; [10]</c> (<c>ID</c> lines are the preseed being loaded).</summary>
    [GeneratedRegex(@"^Adding \[([A-Z_]{1,32})\] -> \[(.*)\]$")]
    private static partial Regex DebconfSubstitution();

    [GeneratedRegex(@"^--> INPUT \S+ (\S{1,100})$")]
    private static partial Regex DebconfInput();

    [GeneratedRegex(@"^<-- (\d+)")]
    private static partial Regex DebconfReply();

    [GeneratedRegex(@"(?:Configuring|Menu item) '([A-Za-z0-9][A-Za-z0-9._+-]{0,63})' failed(?: with error code (\d+))?")]
    private static partial Regex ItemFailed();

    [GeneratedRegex(@"\b(?:error|failed|failure|fatal|unable|cannot|can't|bad address|not found|timed out)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Complaint();
}
