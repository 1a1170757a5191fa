using System.Diagnostics;
using System.Text.Json;

namespace Provisioner.Core.Images;

/// <summary>
/// Built images on disk, under <c>DATA_DIR/images/NAME/</c>: one directory per version (a UTC time,
/// <c>20261204T101500Z</c>) holding <c>root.squashfs</c>, <c>vmlinuz</c>, <c>initrd.img</c> and, written
/// last, <c>manifest.json</c>; a version without its manifest is not an image. The newest version with a
/// manifest is the one served. Beside them: <c>.build-VERSION/</c> while a build runs, <c>build.json</c>
/// and <c>build.log</c> for the latest build.
/// </summary>
public sealed class ImageStore(string root)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    public string Dir(string name) => Path.Join(Root, name);

    public string StatusFile(string name) => Path.Join(Dir(name), "build.json");

    public string LogFile(string name) => Path.Join(Dir(name), "build.log");

    /// <summary>Every good version of <paramref name="name"/>, newest first.</summary>
    public IReadOnlyList<ImageManifest> Versions(string name) => [.. Read(name)];

    /// <summary>The version served: the newest good one, or null. Reads manifests only until it finds one (boot configs ask for it per request).</summary>
    public ImageManifest? Current(string name) => Read(name).FirstOrDefault();

    private IEnumerable<ImageManifest> Read(string name)
    {
        string dir = Dir(name);
        if (!Directory.Exists(dir))
        {
            yield break;
        }
        foreach (string version in Directory.GetDirectories(dir).Select(Path.GetFileName).Where(v => !v!.StartsWith('.')).OrderDescending(StringComparer.Ordinal)!)
        {
            if (TryReadManifest(Path.Join(dir, version, ImageManifest.FileName)) is { } manifest)
            {
                yield return manifest;
            }
        }
    }

    private static ImageManifest? TryReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageManifest>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            // No manifest (a build that stopped before its end), or a damaged one: not an image.
            return null;
        }
    }

    /// <summary>The latest build's status; a running one whose process is gone is <see cref="ImageBuildState.Interrupted"/>.</summary>
    public ImageBuildStatus? Status(string name)
    {
        ImageBuildStatus? status;
        try
        {
            status = JsonSerializer.Deserialize<ImageBuildStatus>(File.ReadAllText(StatusFile(name)), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
        return status is { State: ImageBuildState.Running } && !Alive(status.ProcessId)
            ? status with { State = ImageBuildState.Interrupted, Message = "the process that ran this build ended before it did" }
            : status;
    }

    internal void WriteStatus(ImageBuildStatus status)
    {
        Directory.CreateDirectory(Dir(status.Name));
        string temporary = StatusFile(status.Name) + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(status, Json));
        File.Move(temporary, StatusFile(status.Name), overwrite: true);
    }

    /// <summary>Removes good versions beyond the newest <paramref name="keep"/>; the removed versions.</summary>
    internal IReadOnlyList<string> Prune(string name, int keep)
    {
        var removed = new List<string>();
        foreach (ImageManifest old in Versions(name).Skip(keep))
        {
            Directory.Delete(Path.Join(Dir(name), old.Version), recursive: true);
            removed.Add(old.Version);
        }
        return removed;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
