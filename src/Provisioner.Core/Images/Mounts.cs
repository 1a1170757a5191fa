namespace Provisioner.Core.Images;

/// <summary>What is mounted, from <c>/proc/self/mountinfo</c>: a build tree is only deleted when nothing is mounted inside it.</summary>
internal static class Mounts
{
    /// <summary>Mount points at or below <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Under(string directory)
    {
        string prefix = Path.GetFullPath(directory).TrimEnd('/');
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            // proc(5): the fifth field is the mount point, with space, tab, newline and backslash as octal escapes.
            .Select(fields => fields[4].Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal).Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal))
            .Where(point => point == prefix || point.StartsWith(prefix + "/", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Deletes <paramref name="directory"/> unless something is mounted inside it (a bind mount of /dev would take the host's nodes with it); why not, or null.</summary>
    public static string? DeleteTree(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }
        IReadOnlyList<string> mounted = Under(directory);
        if (mounted.Count > 0)
        {
            return $"{directory} left in place: {string.Join(", ", mounted)} still mounted";
        }
        Directory.Delete(directory, recursive: true);
        return null;
    }
}
