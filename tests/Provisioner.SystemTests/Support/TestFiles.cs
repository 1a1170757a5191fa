using System.Security.Cryptography;

namespace Provisioner.SystemTests.Support;

/// <summary>A temporary directory of deterministic test files, deleted on dispose.</summary>
public sealed class TestFiles : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("provisioner-systest-");

    public string Root => _root.FullName;

    public string Dir(string name) => Directory.CreateDirectory(Path.Join(Root, name)).FullName;

    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (seeded by the name) and returns the path.</summary>
    public string Create(string relativePath, long size)
    {
        string path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(relativePath.GetHashCode(StringComparison.Ordinal));
        byte[] chunk = new byte[1 << 20];
        using FileStream stream = File.Create(path);
        for (long left = size; left > 0; left -= chunk.Length)
        {
            random.NextBytes(chunk);
            stream.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
        }
        return path;
    }

    public static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
