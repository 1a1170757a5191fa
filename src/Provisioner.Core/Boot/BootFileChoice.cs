using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Boot;

/// <summary>Which boot loader a PXE client gets, from its firmware type; see <see cref="BootFileChoice"/>.</summary>
public sealed class BootChoiceOptions
{
    /// <summary>
    /// Chainload iPXE first (Debian's ipxe: <c>undionly.kpxe</c> for BIOS, <c>snponly.efi</c> for UEFI),
    /// which then boots over HTTP from the appliance. Default false: pxelinux and GRUB over TFTP.
    /// </summary>
    public bool ChainloadIpxe { get; set; }

    /// <summary><c>grub</c> (grubnetx64.efi, default) or <c>syslinux</c> (syslinux.efi) for x86-64 UEFI.</summary>
    public string UefiLoader { get; set; } = "grub";
}

/// <summary>
/// The boot file for a PXE client's DHCP request. The client architecture (option 93, else the
/// vendor class's <c>Arch:</c>) picks the loader; a client that says it is iPXE (user class
/// <c>iPXE</c>) is already past the loader stage and gets its script's HTTP URL; a UEFI HTTP Boot
/// client gets its loader's URL.
/// </summary>
public static class BootFileChoice
{
    public const string Pxelinux = "pxelinux.0";
    public const string Grub64 = "grubnetx64.efi";
    public const string GrubArm64 = "grubnetaa64.efi";
    public const string SyslinuxEfi = "syslinux.efi";
    public const string IpxeBios = "undionly.kpxe";
    public const string IpxeEfi = "snponly.efi";

    /// <summary>Null when no loader fits (an architecture without one installed); <paramref name="reason"/> says why.</summary>
    /// <param name="viaProxyDhcp">
    /// The answer comes from ProxyDHCP, not the site's DHCP server. GRUB's network image (Debian 12's
    /// 2.06) takes its TFTP server only from the firmware's cached DHCP ACK, which then names none:
    /// it starts and never finds its config. x86-64 UEFI clients chainload iPXE instead, which reads
    /// ProxyDHCP answers and then boots over HTTP.
    /// </param>
    public static string? For(DhcpMessage request, string httpBase, BootChoiceOptions options, Func<string, bool> available, out string reason, bool viaProxyDhcp = false)
    {
        reason = string.Empty;
        if (request.UserClass == "iPXE")
        {
            return $"{httpBase}/ipxe/{Convert.ToHexString(request.ClientHardwareAddress).ToLowerInvariant()}";
        }
        DhcpClientArchitecture arch = DhcpClientArchitectures.Resolve(request) ?? DhcpClientArchitecture.X86Bios;
        string? file = arch switch
        {
            // UEFI HTTP Boot (vendor class HTTPClient, types 16/19): the firmware downloads an EFI
            // program from a URL, no TFTP. iPXE (snponly.efi, on the firmware's own network driver)
            // then asks DHCP again as iPXE and gets its script over HTTP, as after a TFTP chainload.
            DhcpClientArchitecture.X64UefiHttp => IpxeEfi,
            DhcpClientArchitecture.X86Bios => options.ChainloadIpxe ? IpxeBios : Pxelinux,
            DhcpClientArchitecture.X64Uefi or DhcpClientArchitecture.EfiBc =>
                options.ChainloadIpxe || viaProxyDhcp ? IpxeEfi : options.UefiLoader.Equals("syslinux", StringComparison.OrdinalIgnoreCase) ? SyslinuxEfi : Grub64,
            DhcpClientArchitecture.Arm64Uefi => GrubArm64,
            _ => null,
        };
        if (file is null)
        {
            reason = $"no boot loader for {DhcpClientArchitectures.Describe(request)} clients";
            return null;
        }
        if (!available(file))
        {
            reason = $"{file} is not installed (Debian package {Package(file)})";
            return null;
        }
        return request.IsHttpBoot ? $"{httpBase}/boot/{file}" : file;
    }

    private static string Package(string file) => file switch
    {
        GrubArm64 => "grub-efi-arm64-bin",
        Grub64 => "grub-efi-amd64-bin",
        SyslinuxEfi => "syslinux-efi",
        IpxeBios or IpxeEfi => "ipxe",
        _ => "pxelinux",
    };
}
