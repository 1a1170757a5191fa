using System.Text;

namespace Provisioner.Core.Mirror;

/// <summary>
/// The mirror's files on disk, under <c>DATA_DIR/mirror</c>: <c>NAME/PATH</c> for each complete file,
/// <c>.partial/</c> for downloads under way (moved into place only when complete, and emptied at start, so
/// a crash leaves no half file behind), <c>.meta/NAME/PATH</c> for an index file's upstream validators.
/// Names starting with a dot are never an archive's (<see cref="MirrorPath.IsPlainSegment"/>).
/// Keeps the total under a size cap by removing the least recently used files; use is kept in memory and
/// in each file's access time, so the order survives a restart. Files removed behind its back
/// (<c>provisioner mirror purge</c> while it runs) are misses, not errors.
/// </summary>
public sealed class MirrorCache
{
    /// <summary>A file's access time is written back at most this often: one syscall per hit would be waste.</summary>
    private static readonly TimeSpan AccessTimeGrain = TimeSpan.FromMinutes(10);

    private readonly object _lock = new();
    private readonly long _maxSize;
    private readonly TimeProvider _time;
    private Dictionary<string, Entry>? _entries;
    private long _size;

    public MirrorCache(string root, long maxSize, TimeProvider time)
    {
        Root = Path.GetFullPath(root);
        _maxSize = maxSize;
        _time = time;
    }

    public string Root { get; }

    public string PartialDir => Path.Join(Root, ".partial");

    /// <summary>Bytes held in complete files.</summary>
    public long Size
    {
        get
        {
            lock (_lock)
            {
                Load();
                return _size;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return Load().Count;
            }
        }
    }

    public long MaxSize => _maxSize;

    public string FullPath(MirrorPath path) => Path.Join(Root, path.Upstream, path.Path);

    /// <summary>The complete cached copy of <paramref name="path"/>, or null; counts as a use.</summary>
    public CachedFile? Find(MirrorPath path)
    {
        string full = FullPath(path);
        var info = new FileInfo(full);
        lock (_lock)
        {
            Dictionary<string, Entry> entries = Load();
            string key = Key(path);
            if (!info.Exists)
            {
                Forget(entries, key);
                return null;
            }
            DateTimeOffset now = _time.GetUtcNow();
            Entry entry = entries.TryGetValue(key, out Entry? known) ? known : Add(entries, key, info.Length, now);
            entry.LastUse = now;
            if (now - entry.AccessWritten > AccessTimeGrain)
            {
                entry.AccessWritten = now;
                TrySetAccessTime(full, now);
            }
            return new CachedFile(full, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        }
    }

    /// <summary>A new file name under <see cref="PartialDir"/> for a download.</summary>
    public string NewPartial()
    {
        Directory.CreateDirectory(PartialDir);
        return Path.Join(PartialDir, Guid.NewGuid().ToString("N"));
    }

    /// <summary>
    /// Moves a complete download into place (replacing an older copy of an index file), with the
    /// validators upstream gave, then removes least recently used files while the cache is over its cap.
    /// </summary>
    public void Commit(string partial, MirrorPath path, Validators validators)
    {
        string full = FullPath(path);
        RemoveFilesInTheWay(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        long length = new FileInfo(partial).Length;
        DateTimeOffset now = _time.GetUtcNow();
        // Its modification time is when it was last checked upstream (CachedFile.Checked).
        File.SetLastWriteTimeUtc(partial, now.UtcDateTime);
        File.Move(partial, full, overwrite: true);
        WriteValidators(path, validators);
        TrySetAccessTime(full, now);
        lock (_lock)
        {
            Dictionary<string, Entry> entries = Load();
            string key = Key(path);
            Forget(entries, key);
            Add(entries, key, length, now);
            Evict(entries, keep: key);
        }
    }

    /// <summary>Upstream confirmed the cached copy (304): it counts as fresh from now.</summary>
    public void MarkChecked(MirrorPath path)
    {
        try
        {
            File.SetLastWriteTimeUtc(FullPath(path), _time.GetUtcNow().UtcDateTime);
        }
        catch (IOException)
        {
            // Removed meanwhile: the next request fetches it again.
        }
    }

    public Validators ReadValidators(MirrorPath path)
    {
        string meta = MetaPath(path);
        try
        {
            string[] lines = File.ReadAllLines(meta);
            return new Validators(lines.Length > 0 && lines[0].Length > 0 ? lines[0] : null, lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null);
        }
        catch (IOException)
        {
            return new Validators(null, null);
        }
    }

    /// <summary>Removes what is left of downloads a stopped appliance did not finish.</summary>
    public void ClearPartials()
    {
        if (Directory.Exists(PartialDir))
        {
            Directory.Delete(PartialDir, recursive: true);
        }
    }

    /// <summary>Bytes and files per archive, read from disk (for <c>provisioner mirror status</c>, which has no running cache).</summary>
    public static IReadOnlyList<(string Upstream, int Files, long Bytes)> Usage(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }
        return Directory.GetDirectories(root)
            .Where(d => MirrorPath.IsPlainSegment(Path.GetFileName(d)))
            .Select(d =>
            {
                FileInfo[] files = new DirectoryInfo(d).GetFiles("*", SearchOption.AllDirectories);
                return (Path.GetFileName(d), files.Length, files.Sum(f => f.Length));
            })
            .OrderBy(u => u.Item1, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Deletes the cached files of <paramref name="upstream"/> (every archive when null), or only its index
    /// files with <paramref name="indexOnly"/> (they are fetched again at the next request). The count and bytes removed.
    /// </summary>
    public static (int Files, long Bytes) Purge(string root, string? upstream, bool indexOnly)
    {
        int files = 0;
        long bytes = 0;
        foreach (string dir in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
        {
            string name = Path.GetFileName(dir);
            if (!MirrorPath.IsPlainSegment(name) || (upstream is not null && name != upstream))
            {
                continue;
            }
            foreach (FileInfo file in new DirectoryInfo(dir).GetFiles("*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(dir, file.FullName).Replace('\\', '/');
                if (indexOnly && new MirrorPath(name, relative).Immutable)
                {
                    continue;
                }
                bytes += file.Length;
                files++;
                file.Delete();
            }
            string meta = Path.Join(root, ".meta", name);
            if (Directory.Exists(meta))
            {
                Directory.Delete(meta, recursive: true);
            }
        }
        return (files, bytes);
    }

    /// <summary>
    /// An archive never has a file where it has a directory; an upstream that answered a directory's
    /// address with a page would have left one, and it would block every file below it for good.
    /// </summary>
    private void RemoveFilesInTheWay(MirrorPath path)
    {
        string[] segments = path.Path.Split('/');
        for (int i = 1; i < segments.Length; i++)
        {
            var ancestor = new MirrorPath(path.Upstream, string.Join('/', segments[..i]));
            if (File.Exists(MetaPath(ancestor)))
            {
                File.Delete(MetaPath(ancestor));
            }
            if (File.Exists(FullPath(ancestor)))
            {
                File.Delete(FullPath(ancestor));
                lock (_lock)
                {
                    Forget(Load(), Key(ancestor));
                }
            }
        }
    }

    private string MetaPath(MirrorPath path) => Path.Join(Root, ".meta", path.Upstream, path.Path);

    private void WriteValidators(MirrorPath path, Validators validators)
    {
        string meta = MetaPath(path);
        if (!validators.Any)
        {
            if (File.Exists(meta))
            {
                File.Delete(meta);
            }
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(meta)!);
        File.WriteAllText(meta, $"{validators.ETag}\n{validators.LastModified}\n", Encoding.ASCII);
    }

    private static string Key(MirrorPath path) => path.Upstream + "/" + path.Path;

    /// <summary>The index of complete files, read from disk at first use: length and last use (the access time).</summary>
    private Dictionary<string, Entry> Load()
    {
        if (_entries is not null)
        {
            return _entries;
        }
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        _size = 0;
        foreach (string dir in Directory.Exists(Root) ? Directory.GetDirectories(Root) : [])
        {
            string name = Path.GetFileName(dir);
            if (!MirrorPath.IsPlainSegment(name))
            {
                continue;
            }
            foreach (FileInfo file in new DirectoryInfo(dir).GetFiles("*", SearchOption.AllDirectories))
            {
                var used = new DateTimeOffset(file.LastAccessTimeUtc, TimeSpan.Zero);
                Entry entry = Add(entries, name + "/" + Path.GetRelativePath(dir, file.FullName).Replace('\\', '/'), file.Length, used);
                entry.AccessWritten = used;
            }
        }
        return _entries = entries;
    }

    private Entry Add(Dictionary<string, Entry> entries, string key, long length, DateTimeOffset used)
    {
        var entry = new Entry(length) { LastUse = used, AccessWritten = used };
        entries[key] = entry;
        _size += length;
        return entry;
    }

    private void Forget(Dictionary<string, Entry> entries, string key)
    {
        if (entries.Remove(key, out Entry? old))
        {
            _size -= old.Length;
        }
    }

    private void Evict(Dictionary<string, Entry> entries, string keep)
    {
        if (_size <= _maxSize)
        {
            return;
        }
        foreach ((string key, Entry entry) in entries.Where(e => e.Key != keep).OrderBy(e => e.Value.LastUse).ToList())
        {
            if (_size <= _maxSize)
            {
                break;
            }
            string full = Path.Join(Root, key);
            try
            {
                File.Delete(full);
                string meta = Path.Join(Root, ".meta", key);
                if (File.Exists(meta))
                {
                    File.Delete(meta);
                }
            }
            catch (IOException)
            {
                // Gone already, or its directory was: either way it no longer counts.
            }
            Forget(entries, key);
        }
    }

    private static void TrySetAccessTime(string path, DateTimeOffset when)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, when.UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The order of eviction after a restart is a little older; nothing else depends on it.
        }
    }

    private sealed class Entry(long length)
    {
        public long Length { get; } = length;

        public DateTimeOffset LastUse { get; set; }

        public DateTimeOffset AccessWritten { get; set; }
    }
}
