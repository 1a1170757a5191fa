using System.Text;

namespace Provisioner.Pxe.Dhcp;

/// <summary>The options a reply carries for a PXE ROM (PXE specification 2.1 §2.2) or a UEFI HTTP Boot client, whoever sends it.</summary>
public static class PxeReplyOptions
{
    private const byte DiscoveryControl = 6;
    private const byte End = 255;

    public static void Add(List<(byte Code, byte[] Value)> options, DhcpMessage request)
    {
        if (request.IsHttpBoot)
        {
            // UEFI 2.5+ §24.7.2: the server's reply names the HTTPClient class too, or the firmware ignores it.
            options.Add((60, Encoding.ASCII.GetBytes("HTTPClient")));
            return;
        }
        // PXE 2.1 §2.2: the server identifies itself as a PXEClient vendor class too.
        options.Add((60, Encoding.ASCII.GetBytes("PXEClient")));
        if (request.UserClass != "iPXE")
        {
            // Sub-option 6, discovery control, bit 3: skip boot server discovery, use the file given
            // here. Without it, some ROMs go looking for boot servers and never boot.
            options.Add((43, [DiscoveryControl, 1, 8, End]));
        }
        if (request.ClientUuid is { } uuid)
        {
            // PXE 2.1 §2.2: the client's machine identifier (option 97) is echoed back.
            byte[] value = new byte[17];
            uuid.TryWriteBytes(value.AsSpan(1), bigEndian: true, out _);
            options.Add((97, value));
        }
    }
}
