namespace Provisioner.Core.Templates;

/// <summary>
/// The texts rendered for one immutable snapshot (a cached host, or the default config), by
/// template file and base URL, each with the parsed template it came from. The snapshot holds it in
/// a plain field. It used to be a ConditionalWeakTable keyed by the snapshot: every entry of that is a
/// dependent handle that each garbage collection scans. With 50,000 hosts cached, gen0 pauses grew
/// from about 1 ms to 20 ms (bench/scale.sh's harness, one core).
/// </summary>
public sealed class RenderMemo
{
    /// <summary>
    /// A host renders one or two files, for each base URL it was asked through (one per interface).
    /// The base URL comes from the request's Host header, so past this many the oldest goes.
    /// </summary>
    public const int MaxEntries = 8;

    private Entry[] _entries = [];

    /// <summary>The text rendered from <paramref name="file"/> for <paramref name="key"/> with this very <paramref name="template"/> (not an older version of the file).</summary>
    public bool TryGet(string file, string key, object template, out string text)
    {
        foreach (Entry entry in Volatile.Read(ref _entries))
        {
            if (ReferenceEquals(entry.Template, template) && entry.File == file && entry.Key == key)
            {
                text = entry.Text;
                return true;
            }
        }
        text = string.Empty;
        return false;
    }

    /// <summary>Remembers a render, replacing any for the same file and key. Racing adds may drop one another: it is only a cache.</summary>
    public void Add(string file, string key, object template, string text)
    {
        Entry[] old = Volatile.Read(ref _entries);
        var kept = new List<Entry>(Math.Min(old.Length + 1, MaxEntries));
        foreach (Entry entry in old.Skip(Math.Max(0, old.Length + 1 - MaxEntries)))
        {
            if (entry.File != file || entry.Key != key)
            {
                kept.Add(entry);
            }
        }
        kept.Add(new Entry(file, key, template, text));
        Volatile.Write(ref _entries, [.. kept]);
    }

    /// <summary>How many renders are remembered.</summary>
    public int Count => Volatile.Read(ref _entries).Length;

    private sealed record Entry(string File, string Key, object Template, string Text);
}
