using Provisioner.Core.Inventory;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Builds;

/// <summary>
/// The boot loaders the appliance renders configs for. Each has its own template directory
/// (<c>templates/&lt;dir&gt;/&lt;profile&gt;.liquid</c>, plus <c>localboot</c> and <c>default</c>) and
/// its own config names, the ones the loader itself asks for.
/// </summary>
public sealed record BootLoader(string TemplateDir, string Description)
{
    /// <summary>pxelinux (BIOS) and syslinux.efi (UEFI): <c>pxelinux.cfg/01-&lt;mac&gt;</c>, then <c>pxelinux.cfg/default</c>.</summary>
    public static readonly BootLoader Pxelinux = new("pxelinux", "pxelinux.cfg/");

    /// <summary>GRUB's network image (grubnetx64.efi): <c>grub/grub.cfg-01-&lt;mac&gt;</c>, then <c>grub/grub.cfg</c>.</summary>
    public static readonly BootLoader Grub = new("grub", "grub/");

    /// <summary>An iPXE script over HTTP: <c>/ipxe/&lt;mac&gt;</c>; unknown MACs get the default script at once (iPXE does not try another name).</summary>
    public static readonly BootLoader Ipxe = new("ipxe", "ipxe/");

    public static IReadOnlyList<BootLoader> All { get; } = [Pxelinux, Grub, Ipxe];

    /// <summary>
    /// What a config name asks for: the default config, or a host's by MAC; false for names the
    /// loader tries that the appliance does not answer (UUIDs, hex IPs), which miss at once.
    /// </summary>
    public bool TryParse(string name, out MacAddress? mac)
    {
        mac = null;
        if (this == Pxelinux)
        {
            return name == "default" || (name.Length == 20 && name.StartsWith("01-", StringComparison.Ordinal) && TryMac(name[3..], out mac));
        }
        if (this == Grub)
        {
            const string perHost = "grub.cfg-01-";
            return name == "grub.cfg" || (name.Length == perHost.Length + 17 && name.StartsWith(perHost, StringComparison.Ordinal) && TryMac(name[perHost.Length..], out mac));
        }
        return name == "default" || TryMac(name, out mac);
    }

    /// <summary>An unknown MAC's per-host name misses (the loader then asks for its default), except iPXE's, which gets the default at once.</summary>
    public bool DefaultForUnknown => this == Ipxe;

    private static bool TryMac(string text, out MacAddress? mac)
    {
        bool ok = MacAddress.TryParse(text, out MacAddress parsed);
        mac = ok ? parsed : null;
        return ok;
    }
}
