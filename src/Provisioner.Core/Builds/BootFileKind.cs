namespace Provisioner.Core.Builds;

/// <summary>What a served file is to a booting machine, told from its path; a metric label and a timeline rule.</summary>
public static class BootFileKind
{
    public const string Config = "config";
    public const string Loader = "loader";
    public const string Kernel = "kernel";
    public const string Initrd = "initrd";
    public const string Other = "other";

    /// <summary>The kind of <paramref name="path"/> as a client asked for it (with or without a leading <c>/</c>).</summary>
    public static string Of(string path)
    {
        string name = path.TrimStart('/');
        string file = name[(name.LastIndexOf('/') + 1)..];
        if (IsConfig(name))
        {
            return Config;
        }
        if (file.EndsWith(".0", StringComparison.Ordinal) || file.EndsWith(".c32", StringComparison.Ordinal) || file.EndsWith(".e64", StringComparison.Ordinal)
            || file.EndsWith(".efi", StringComparison.Ordinal) || file.EndsWith(".kpxe", StringComparison.Ordinal) || file.EndsWith(".pxe", StringComparison.Ordinal))
        {
            return Loader;
        }
        // Debian's netboot names (linux, initrd.gz), Ubuntu's and most others' (vmlinuz, initrd.img).
        if (file is "linux" or "linux64" || file.StartsWith("vmlinuz", StringComparison.Ordinal) || file.StartsWith("bzImage", StringComparison.Ordinal))
        {
            return Kernel;
        }
        return file.StartsWith("initrd", StringComparison.Ordinal) || file.StartsWith("initramfs", StringComparison.Ordinal) ? Initrd : Other;
    }

    /// <summary>A boot config under any loader: these have their own timeline step ("boot config … served").</summary>
    public static bool IsConfig(string path)
    {
        string name = path.TrimStart('/');
        return BootLoader.All.Any(l => name.StartsWith(l == BootLoader.Grub ? "grub/grub.cfg" : l.Description, StringComparison.Ordinal));
    }
}
