namespace Provisioner.Pxe.Boot;

/// <summary>Where boot files come from. Bound from configuration by the host.</summary>
public sealed class BootFileOptions
{
    /// <summary>Kernels, initrds and boot loaders served over TFTP and HTTP. Default <c>./boot</c>.</summary>
    public string BootDir { get; set; } = "./boot";

    /// <summary>
    /// Searched, in order, for a plain file name missing from the boot dir, so a fresh install boots
    /// without copying files by hand. Defaults: Debian's <c>pxelinux</c> package (<c>pxelinux.0</c>, <c>lpxelinux.0</c>)
    /// and <c>syslinux-common</c> (<c>ldlinux.c32</c>, <c>menu.c32</c> and the other BIOS modules).
    /// </summary>
    public IList<string> FallbackDirs { get; } = ["/usr/lib/PXELINUX", "/usr/lib/syslinux/modules/bios"];
}
