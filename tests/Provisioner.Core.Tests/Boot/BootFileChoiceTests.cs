using System.Net;
using Provisioner.Core.Boot;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Tests.Boot;

public sealed class BootFileChoiceTests
{
    private const string Http = "http://192.0.2.2:8080";

    [Theory]
    // Option 93 decides; without it, the vendor class's Arch: field.
    [InlineData((ushort)0, null, null, false, "grub", "pxelinux.0")]
    [InlineData(null, "PXEClient:Arch:00000:UNDI:002001", null, false, "grub", "pxelinux.0")]
    [InlineData((ushort)7, null, null, false, "grub", "grubnetx64.efi")]
    [InlineData(null, "PXEClient:Arch:00009:UNDI:003016", null, false, "grub", "grubnetx64.efi")]
    [InlineData((ushort)7, null, null, false, "syslinux", "syslinux.efi")]
    [InlineData((ushort)11, null, null, false, "grub", "grubnetaa64.efi")]
    [InlineData((ushort)0, null, null, true, "grub", "undionly.kpxe")]
    [InlineData((ushort)7, null, null, true, "grub", "snponly.efi")]
    // iPXE, whatever its firmware, gets its script over HTTP.
    [InlineData((ushort)7, null, "iPXE", true, "grub", "http://192.0.2.2:8080/ipxe/525400123456")]
    [InlineData(null, "PXEClient", null, false, "grub", "pxelinux.0")]
    public void For_ArchitectureUserClassAndOptions_PicksTheLoader(ushort? arch, string? vendorClass, string? userClass, bool chainload, string uefiLoader, string expected)
    {
        DhcpMessage request = Message(arch, vendorClass, userClass);
        string? file = BootFileChoice.For(request, Http, new BootChoiceOptions { ChainloadIpxe = chainload, UefiLoader = uefiLoader }, _ => true, out string reason);
        Assert.Equal(expected, file);
        Assert.Empty(reason);
    }

    [Fact]
    public void For_UefiBehindProxyDhcp_ChainloadsIpxeInsteadOfGrub()
    {
        Assert.Equal("snponly.efi", BootFileChoice.For(Message(7, null, null), Http, new BootChoiceOptions(), _ => true, out _, viaProxyDhcp: true));
        Assert.Equal("pxelinux.0", BootFileChoice.For(Message(0, null, null), Http, new BootChoiceOptions(), _ => true, out _, viaProxyDhcp: true));
    }

    [Fact]
    public void For_LoaderNotInstalledOrUnknownArchitecture_NullWithAReason()
    {
        Assert.Null(BootFileChoice.For(Message(11, null, null), Http, new BootChoiceOptions(), f => f != "grubnetaa64.efi", out string missing));
        Assert.Equal("grubnetaa64.efi is not installed (Debian package grub-efi-arm64-bin)", missing);
        Assert.Null(BootFileChoice.For(Message(10, null, null), Http, new BootChoiceOptions(), _ => true, out string unknown));
        Assert.Equal("no boot loader for arm32 EFI clients", unknown);
    }

    private static DhcpMessage Message(ushort? arch, string? vendorClass, string? userClass) => new()
    {
        Op = 1, TransactionId = 1, ClientHardwareAddress = [0x52, 0x54, 0, 0x12, 0x34, 0x56], ClientAddress = IPAddress.Any, YourAddress = IPAddress.Any,
        MessageType = DhcpMessageType.Discover, Architecture = (DhcpClientArchitecture?)arch, VendorClass = vendorClass ?? "PXEClient", UserClass = userClass,
    };
}
