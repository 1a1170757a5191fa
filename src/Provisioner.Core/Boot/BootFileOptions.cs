namespace Provisioner.Core.Boot;

/// <summary>Where boot files come from. Bound from configuration by the host.</summary>
public sealed class BootFileOptions
{
    /// <summary>Kernels, initrds and boot loaders served over TFTP and HTTP. Default <c>./boot</c>.</summary>
    public string BootDir { get; set; } = "./boot";

    /// <summary>
    /// Searched, in order, for a plain file name missing from the boot dir, so a fresh install boots
    /// without copying files by hand. Defaults, all Debian packages: <c>pxelinux</c> (<c>pxelinux.0</c>,
    /// <c>lpxelinux.0</c>), <c>syslinux-common</c> (<c>ldlinux.c32</c> and the other BIOS modules),
    /// <c>syslinux-efi</c> (<c>syslinux.efi</c>, <c>ldlinux.e64</c>; the BIOS modules win for shared
    /// names), <c>grub-efi-amd64-bin</c> and <c>grub-efi-arm64-bin</c> (<c>grubnetx64.efi</c>,
    /// <c>grubnetaa64.efi</c>) and <c>ipxe</c> (<c>undionly.kpxe</c>, <c>ipxe.efi</c>, <c>snponly.efi</c>).
    /// </summary>
    public IList<string> FallbackDirs { get; } =
    [
        "/usr/lib/PXELINUX", "/usr/lib/syslinux/modules/bios", "/usr/lib/SYSLINUX.EFI/efi64", "/usr/lib/syslinux/modules/efi64",
        "/usr/lib/grub/x86_64-efi/monolithic", "/usr/lib/grub/arm64-efi/monolithic", "/usr/lib/ipxe",
    ];

    /// <summary>
    /// Where a file in one directory of the boot dir is looked for when the boot dir lacks it: a profile's
    /// installer kernel and initrd (<c>debian12/linux</c>, <c>debian12/initrd.gz</c>) come from Debian's
    /// netboot package (<c>debian-installer-12-netboot-amd64</c>, text installer) until files are put there.
    /// Only a file directly in the directory is looked up (<c>debian12/linux</c>, not <c>debian12/x/linux</c>).
    /// </summary>
    public IDictionary<string, string> DirFallbacks { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["debian12"] = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64",
    };
}
