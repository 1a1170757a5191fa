using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// Real firmware with the appliance as the network's only DHCP server (no dnsmasq; see
/// <see cref="PxeSite.StartServingDhcpAsync"/>): SeaBIOS with its iPXE ROM, OVMF with its own PXE,
/// and OVMF through UEFI HTTP Boot with its PXE turned off, each up to the Debian installer's
/// preseed fetch and early callback. The registered host gets its reserved address from the
/// appliance at every stage (firmware, iPXE, the installer).
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class DhcpBootTests : NamespaceTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task SeaBiosIpxe_AppliancesDhcpOnly_ReachesPreseedAndEarlyCallback()
    {
        const string mac = "52:54:00:23:00:01";
        PxeSite site = await PxeSite.StartServingDhcpAsync(Lab, Files.Dir("site"), taps: 1, [("dhcp-bios", mac, "192.0.2.21")]);
        site.StartVm(0, mac, uefi: false);

        await site.WaitForTimelineAsync("dhcp-bios", "installer started (early_command)", Limit);
        PxeSite.AssertInOrder(await site.ShowAsync("dhcp-bios"),
            "PXE DHCP seen, arch BIOS",
            "boot config ipxe/525400230001 served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        AssertReservedAddressGiven(site, mac, "192.0.2.21");
    }

    [Fact]
    public async Task OvmfPxe_AppliancesDhcpOnly_GrubOverTftp_ReachesPreseedAndEarlyCallback()
    {
        const string mac = "52:54:00:23:00:02";
        PxeSite site = await PxeSite.StartServingDhcpAsync(Lab, Files.Dir("site"), taps: 1, [("dhcp-uefi", mac, "192.0.2.22")]);
        site.StartVm(0, mac, uefi: true);

        await site.WaitForTimelineAsync("dhcp-uefi", "installer started (early_command)", Limit);
        PxeSite.AssertInOrder(await site.ShowAsync("dhcp-uefi"),
            "PXE DHCP seen, arch x86-64 EFI",
            "grubnetx64.efi transferred",
            $"boot config grub/grub.cfg-01-{mac} served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        AssertReservedAddressGiven(site, mac, "192.0.2.22");
    }

    /// <summary>
    /// OVMF with its IPv4 PXE turned off (<c>opt/org.tianocore/IPv4PXESupport</c>) boots through UEFI
    /// HTTP Boot: the appliance answers its HTTPClient DHCP request with iPXE's URL, and nothing
    /// at all goes over TFTP.
    /// </summary>
    [Fact]
    public async Task OvmfHttpBoot_AppliancesDhcpOnly_NoTftpAtAll_ReachesPreseedAndEarlyCallback()
    {
        const string mac = "52:54:00:23:00:03";
        PxeSite site = await PxeSite.StartServingDhcpAsync(Lab, Files.Dir("site"), taps: 1, [("dhcp-http", mac, "192.0.2.23")]);
        site.StartVm(0, mac, uefi: true, extra: ["-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=n", "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=n"]);

        await site.WaitForTimelineAsync("dhcp-http", "installer started (early_command)", Limit);
        string timeline = await site.ShowAsync("dhcp-http");
        PxeSite.AssertInOrder(timeline,
            "snponly.efi transferred",
            "boot config ipxe/525400230003 served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        Assert.DoesNotContain("tftp", timeline, StringComparison.Ordinal);
        Assert.Contains("DHCP ack 192.0.2.23 to mac 52:54:00:23:00:03", site.ApplianceLog(), StringComparison.Ordinal);
        // Not one TFTP request reached the server (each would log "TFTP <peer> <file>: ...").
        Assert.DoesNotContain("TFTP 192.0.2.", site.ApplianceLog(), StringComparison.Ordinal);
        Assert.Contains("TFTP listening", site.ApplianceLog(), StringComparison.Ordinal);
    }

    private static void AssertReservedAddressGiven(PxeSite site, string mac, string address)
    {
        string log = site.ApplianceLog();
        Assert.Contains($"DHCP ack {address} to mac {mac}", log, StringComparison.Ordinal);
        Assert.DoesNotContain($"to mac {mac} (unregistered)", log, StringComparison.Ordinal);
    }
}
