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

public static class DhcpClientArchitectures
{
    /// <summary>
    /// How operators name the client's firmware: from option 93, or else from the <c>Arch:NNNNN</c>
    /// field of a PXE vendor class (PXE spec 2.1 §2.2.1); null when the message says neither.
    /// </summary>
    public static string? Describe(DhcpMessage message) => Resolve(message) switch
    {
        null => null,
        DhcpClientArchitecture.X86Bios => "BIOS",
        DhcpClientArchitecture.X86Uefi => "x86 EFI",
        DhcpClientArchitecture.X64Uefi or DhcpClientArchitecture.EfiBc => "x86-64 EFI",
        DhcpClientArchitecture.Arm32Uefi => "arm32 EFI",
        DhcpClientArchitecture.Arm64Uefi => "arm64 EFI",
        DhcpClientArchitecture.X64UefiHttp => "x86-64 EFI HTTP",
        DhcpClientArchitecture.Arm64UefiHttp => "arm64 EFI HTTP",
        var other => $"type {(ushort)other}",
    };

    /// <summary>Option 93, or else the <c>Arch:NNNNN</c> field of a PXE vendor class; null when the message says neither.</summary>
    public static DhcpClientArchitecture? Resolve(DhcpMessage message)
    {
        if (message.Architecture is { } arch)
        {
            return arch;
        }
        return message.VendorClass is { } vendor && vendor.StartsWith("PXEClient:Arch:", StringComparison.Ordinal)
            && ushort.TryParse(vendor.AsSpan(15, Math.Min(5, vendor.Length - 15)), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort code)
            ? (DhcpClientArchitecture)code
            : null;
    }
}
