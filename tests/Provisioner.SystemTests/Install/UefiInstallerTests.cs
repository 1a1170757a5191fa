using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Install;

/// <summary>
/// UEFI machines end to end (see <see cref="PxeSite"/>): QEMU with OVMF and its own PXE
/// (virtio-net, client architecture 7) boots the Debian 12 installer from the appliance up to its
/// preseed fetch and early callback, once through GRUB's network image over TFTP, and once by
/// chainloading iPXE (snponly.efi) that then fetches its script, kernel and initrd over HTTP.
/// The site's dnsmasq picks the boot file by architecture and user class, as a real site's would.
/// The GRUB and iPXE machines have a spare card before the one they boot from: the installer finds
/// its network only on the card the boot loader names in BOOTIF= (the first card leads nowhere).
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class UefiInstallerTests : NamespaceTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Debian12_UefiPxe_GrubOverTftp_ReachesPreseedAndEarlyCallback()
    {
        const string mac = "52:54:00:12:34:66";
        PxeSite site = await PxeSite.StartAsync(Lab, Files.Dir("site"), taps: 1, [("uefi01", mac, "192.0.2.20")],
            "--dhcp-match=set:efi64,option:client-arch,7", $"--dhcp-boot=tag:efi64,grubnetx64.efi,,{PxeSite.ApplianceIp}");
        site.StartVm(0, mac, uefi: true, spareMac: "52:54:00:12:34:67");

        await site.WaitForTimelineAsync("uefi01", "installer started (early_command)", Limit);
        PxeSite.AssertInOrder(await site.ShowAsync("uefi01"),
            "capture  pending    PXE DHCP seen, arch x86-64 EFI",
            "grubnetx64.efi transferred",
            $"boot config grub/grub.cfg-01-{mac} served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched by 192.0.2.1",
            "installer started (early_command)");
        Assert.Contains("/grub/grub.cfg: sent", site.ApplianceLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debian12_UefiPxe_ChainloadsIpxe_KernelAndInitrdOverHttp()
    {
        const string mac = "52:54:00:12:34:77";
        PxeSite site = await PxeSite.StartAsync(Lab, Files.Dir("site"), taps: 1, [("ipxe01", mac, "192.0.2.30")],
            "--dhcp-match=set:efi64,option:client-arch,7", "--dhcp-userclass=set:ipxe,iPXE",
            $"--dhcp-boot=tag:efi64,tag:!ipxe,snponly.efi,,{PxeSite.ApplianceIp}",
            // iPXE expands ${net0/mac:hexhyp} in the boot file name itself.
            $"--dhcp-boot=tag:ipxe,{PxeSite.HttpBase}/ipxe/${{net0/mac:hexhyp}}");
        site.StartVm(0, mac, uefi: true, spareMac: "52:54:00:12:34:78");

        await site.WaitForTimelineAsync("ipxe01", "installer started (early_command)", Limit);
        PxeSite.AssertInOrder(await site.ShowAsync("ipxe01"),
            "snponly.efi transferred",
            "boot config ipxe/52-54-00-12-34-77 served",
            "http     booting    debian12/linux transferred",
            "http     booting    debian12/initrd.gz transferred",
            "preseed fetched by 192.0.2.1",
            "installer started (early_command)");
    }

    /// <summary>
    /// The site's DHCP server gives addresses and nothing else; the appliance's ProxyDHCP gives the
    /// boot file. Behind ProxyDHCP a UEFI client chainloads iPXE (GRUB's network image would not
    /// find its server: see BootFileChoice), whose own DHCP gets its script's URL the same way.
    /// </summary>
    [Fact]
    public async Task Debian12_UefiPxe_ProxyDhcp_SiteDhcpWithoutPxeOptions_ReachesPreseedAndEarlyCallback()
    {
        const string mac = "52:54:00:12:34:88";
        PxeSite site = await PxeSite.StartAsync(Lab, Files.Dir("site"), taps: 1, [("proxy01", mac, "192.0.2.40")], ["--proxy-dhcp"], []);
        site.StartVm(0, mac, uefi: true);

        await site.WaitForTimelineAsync("proxy01", "installer started (early_command)", Limit);
        PxeSite.AssertInOrder(await site.ShowAsync("proxy01"),
            "PXE DHCP seen, arch x86-64 EFI",
            "snponly.efi transferred",
            "boot config ipxe/525400123488 served",
            "http     booting    debian12/initrd.gz transferred",
            "preseed fetched by 192.0.2.1",
            "installer started (early_command)");
        PxeSite.AssertInOrder(site.ApplianceLog(),
            "ProxyDHCP Offer to mac 525400123488",
            "boot snponly.efi",
            "ProxyDHCP Offer to mac 525400123488",
            $"boot {PxeSite.HttpBase}/ipxe/525400123488");
    }
}
