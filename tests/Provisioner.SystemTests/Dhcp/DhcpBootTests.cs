using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// Real firmware with the appliance as the network's only DHCP server (no dnsmasq; see
/// <see cref="PxeSite.StartServingDhcpAsync"/>), three machines booting at once as in a rack: SeaBIOS
/// with its iPXE ROM, OVMF with its own PXE, and OVMF through UEFI HTTP Boot with its PXE turned off,
/// each up to the Debian installer's preseed fetch and early callback. Each registered host gets its
/// reserved address from the appliance at every stage (firmware, iPXE, the installer).
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class DhcpBootTests : NamespaceTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private const string BiosMac = "52:54:00:23:00:01";
    private const string UefiMac = "52:54:00:23:00:02";
    private const string HttpMac = "52:54:00:23:00:03";

    [Fact]
    public async Task SeaBiosIpxe_OvmfPxe_OvmfHttpBoot_AppliancesDhcpOnly_EachReachesPreseedAndEarlyCallback()
    {
        PxeSite site = await PxeSite.StartServingDhcpAsync(Lab, Files.Dir("site"), taps: 3,
            [("dhcp-bios", BiosMac, "192.0.2.21"), ("dhcp-uefi", UefiMac, "192.0.2.22"), ("dhcp-http", HttpMac, "192.0.2.23")]);
        site.StartVm(0, BiosMac, uefi: false);
        site.StartVm(1, UefiMac, uefi: true);
        // OVMF with its IPv4 and IPv6 PXE off (opt/org.tianocore/*PXESupport): what is left is HTTP Boot.
        site.StartVm(2, HttpMac, uefi: true, extra: ["-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=n", "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=n"]);

        await site.WaitForTimelineAsync("dhcp-bios", "installer started (early_command)", Limit);
        await site.WaitForTimelineAsync("dhcp-uefi", "installer started (early_command)", Limit);
        await site.WaitForTimelineAsync("dhcp-http", "installer started (early_command)", Limit);

        // SeaBIOS's iPXE ROM says it is iPXE: it gets its script's URL at once, then kernel and initrd over HTTP.
        PxeSite.AssertInOrder(await site.ShowAsync("dhcp-bios"),
            "PXE DHCP seen, arch BIOS",
            "boot config ipxe/525400230001 served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        // OVMF's PXE: GRUB over TFTP, its server from the appliance's ACK (siaddr).
        PxeSite.AssertInOrder(await site.ShowAsync("dhcp-uefi"),
            "PXE DHCP seen, arch x86-64 EFI",
            "grubnetx64.efi transferred",
            $"boot config grub/grub.cfg-01-{UefiMac} served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        // HTTP Boot: iPXE's EFI program from the URL in the appliance's answer, then its script; nothing over TFTP.
        string http = await site.ShowAsync("dhcp-http");
        PxeSite.AssertInOrder(http,
            "snponly.efi transferred",
            "boot config ipxe/525400230003 served",
            "debian12/linux transferred",
            "debian12/initrd.gz transferred",
            "preseed fetched",
            "installer started (early_command)");
        Assert.DoesNotContain("tftp", http, StringComparison.Ordinal);
        string log = site.ApplianceLog();
        // Not one TFTP request from its address (each would log "TFTP 192.0.2.23:PORT FILE: ...").
        Assert.DoesNotContain("TFTP 192.0.2.23:", log, StringComparison.Ordinal);
        Assert.Contains("TFTP 192.0.2.22:", log, StringComparison.Ordinal);

        foreach ((string mac, string address) in new[] { (BiosMac, "192.0.2.21"), (UefiMac, "192.0.2.22"), (HttpMac, "192.0.2.23") })
        {
            Assert.Contains($"DHCP ack {address} to mac {mac}", log, StringComparison.Ordinal);
            Assert.DoesNotContain($"to mac {mac} (unregistered)", log, StringComparison.Ordinal);
        }
    }
}
