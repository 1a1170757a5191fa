using System.Globalization;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// <c>DATA_DIR/serve.lock</c>, held (flock, through FileShare.None) by the running appliance for
/// its whole life: a second <c>serve</c> on the same data dir, or a restore under a running one,
/// is refused instead of corrupting state. The kernel drops the lock when the process dies, even by
/// SIGKILL, so a crash never leaves it stale.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "serve.lock";

    /// <summary>Beside the lock, which cannot be read while held: who holds it.</summary>
    public const string PidFileName = "serve.pid";

    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or throws <see cref="DataDirInUseException"/> naming the process that holds it.</summary>
    public static DataDirLock Acquire(string dataDir, string purpose)
    {
        Directory.CreateDirectory(dataDir);
        string path = Path.Combine(Path.GetFullPath(dataDir), FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataDirInUseException($"cannot {purpose}: the appliance is running on {Path.GetFullPath(dataDir)} ({Holder(dataDir)}); stop it first (systemctl stop provisioner)", ex);
        }
        File.WriteAllText(Path.Combine(Path.GetFullPath(dataDir), PidFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirLock(file);
    }

    public void Dispose() => _file.Dispose();

    private static string Holder(string dataDir)
    {
        try
        {
            string pid = File.ReadAllText(Path.Combine(Path.GetFullPath(dataDir), PidFileName)).Trim();
            return pid.Length > 0 ? $"pid {pid}" : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }
}

/// <summary>The data dir is locked by a running appliance.</summary>
public sealed class DataDirInUseException(string message, Exception inner) : Exception(message, inner);
