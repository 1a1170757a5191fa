namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// Files that hold password hashes and tokens (the SQLite inventory, its backups) are readable by
/// their owner only (0600), whatever the process umask: SQLite gives its -wal and -shm files the
/// database file's mode, so setting it on the database covers them too.
/// </summary>
public static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> empty and 0600 when it does not exist; takes group and other access off one that does.</summary>
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode });
            return;
        }
        if ((File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & ~GroupOrOther);
        }
    }
}
