namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// Client system architecture, option 93 (RFC 4578 §2.1, IANA "Processor Architecture Types").
/// Only the values PXE clients here send are named.
/// </summary>
public enum DhcpClientArchitecture : ushort
{
    X86Bios = 0,
    X86Uefi = 6,
    X64Uefi = 7,
    EfiBc = 9,
    Arm32Uefi = 10,
    Arm64Uefi = 11,
    X64UefiHttp = 16,
    Arm64UefiHttp = 19,
}
