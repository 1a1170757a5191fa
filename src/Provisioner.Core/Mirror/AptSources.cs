namespace Provisioner.Core.Mirror;

/// <summary>One archive apt fetches from, and the file that says so.</summary>
public sealed record AptSource(Uri Uri, string File);

/// <summary>
/// The archives this machine's apt uses: <c>sources.list</c>'s one-line entries
/// (<c>deb [options] URI suite components</c>) and the deb822 stanzas of <c>sources.list.d/*.sources</c>
/// (<c>Types:</c>, <c>URIs:</c>, <c>Enabled: no</c>), as sources.list(5) describes them. Only http and
/// https archives; <c>deb-src</c> entries name the same archives. Unreadable lines are skipped, as apt
/// would refuse them anyway.
/// </summary>
public static class AptSources
{
    public static IReadOnlyList<AptSource> Read(string aptDir)
    {
        var found = new List<AptSource>();
        string list = Path.Join(aptDir, "sources.list");
        if (File.Exists(list))
        {
            found.AddRange(ParseOneLine(File.ReadAllText(list), list));
        }
        string dir = Path.Join(aptDir, "sources.list.d");
        if (Directory.Exists(dir))
        {
            // apt reads them in name order and ignores other extensions (.disabled, .save, …).
            foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".list", StringComparison.Ordinal))
                {
                    found.AddRange(ParseOneLine(File.ReadAllText(file), file));
                }
                else if (file.EndsWith(".sources", StringComparison.Ordinal))
                {
                    found.AddRange(ParseDeb822(File.ReadAllText(file), file));
                }
            }
        }
        return found.DistinctBy(s => s.Uri.AbsoluteUri).ToList();
    }

    public static IEnumerable<AptSource> ParseOneLine(string text, string file)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = StripComment(raw).Trim();
            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3 || words[0] is not ("deb" or "deb-src"))
            {
                continue;
            }
            int at = 1;
            if (words[1].StartsWith('['))
            {
                // Options: "[arch=amd64 signed-by=…]", possibly over several words.
                while (at < words.Length && !words[at].EndsWith(']'))
                {
                    at++;
                }
                at++;
            }
            if (at < words.Length && ArchiveUri(words[at]) is { } uri)
            {
                yield return new AptSource(uri, file);
            }
        }
    }

    public static IEnumerable<AptSource> ParseDeb822(string text, string file)
    {
        foreach (Dictionary<string, string> stanza in Stanzas(text))
        {
            bool enabled = !stanza.TryGetValue("enabled", out string? flag) || flag.Trim() is not ("no" or "false" or "0");
            string types = stanza.GetValueOrDefault("types", string.Empty);
            if (!enabled || !types.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Any(t => t is "deb" or "deb-src"))
            {
                continue;
            }
            foreach (string word in stanza.GetValueOrDefault("uris", string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (ArchiveUri(word) is { } uri)
                {
                    yield return new AptSource(uri, file);
                }
            }
        }
    }

    private static IEnumerable<Dictionary<string, string>> Stanzas(string text)
    {
        var stanza = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.Trim().Length == 0)
            {
                if (stanza.Count > 0)
                {
                    yield return stanza;
                    stanza = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }
                last = null;
                continue;
            }
            int colon = line.IndexOf(':');
            if (char.IsWhiteSpace(line[0]) && last is not null)
            {
                stanza[last] += " " + line.Trim();
            }
            else if (colon > 0)
            {
                last = line[..colon].Trim();
                stanza[last] = line[(colon + 1)..].Trim();
            }
        }
        if (stanza.Count > 0)
        {
            yield return stanza;
        }
    }

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }

    private static Uri? ArchiveUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)
            ? new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
            : null;
}
