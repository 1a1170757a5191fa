namespace Provisioner.Core.Deploy;

/// <summary>
/// The deploy agent and its bootstrap, shipped inside the appliance (embedded in this assembly): the
/// agent is served per build (<c>/build/TOKEN/agent</c>), the bootstrap and its systemd unit are put
/// into every image the appliance builds (<see cref="InstallBootstrap"/>).
/// </summary>
public static class DeployFiles
{
    /// <summary>Where the bootstrap sits in an image.</summary>
    public const string BootstrapPath = "usr/local/lib/provisioner/deploy-bootstrap";

    /// <summary>The unit that runs the bootstrap, enabled for multi-user.target.</summary>
    public const string UnitName = "provisioner-deploy.service";

    /// <summary>The kernel command line parameter that names a build's deploy URL.</summary>
    public const string KernelParameter = "provisioner.deploy";

    public static string Agent { get; } = Read("deploy-agent.py");

    public static string Bootstrap { get; } = Read("deploy-bootstrap.sh");

    public static string Unit { get; } = Read(UnitName);

    /// <summary>Writes the bootstrap, its unit and the unit's enablement into an image's root directory.</summary>
    public static void InstallBootstrap(string root)
    {
        string bootstrap = Path.Join(root, BootstrapPath);
        Directory.CreateDirectory(Path.GetDirectoryName(bootstrap)!);
        File.WriteAllText(bootstrap, Bootstrap);
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string units = Path.Join(root, "etc/systemd/system");
        Directory.CreateDirectory(Path.Join(units, "multi-user.target.wants"));
        File.WriteAllText(Path.Join(units, UnitName), Unit);
        string wanted = Path.Join(units, "multi-user.target.wants", UnitName);
        if (!File.Exists(wanted))
        {
            File.CreateSymbolicLink(wanted, "/etc/systemd/system/" + UnitName);
        }
    }

    private static string Read(string name)
    {
        using Stream stream = typeof(DeployFiles).Assembly.GetManifestResourceStream("deploy/" + name)
            ?? throw new InvalidOperationException($"deploy/{name} is not embedded in {typeof(DeployFiles).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
