namespace Provisioner.Pxe.Tftp;

/// <summary>
/// Netascii encoding (RFC 1350 §1 and RFC 764): a line ends in CR LF, and a bare CR is sent as CR NUL.
/// The whole file is converted in memory because offsets in the encoded stream do not map to
/// offsets in the file, and a retransmitted window must be re-read from an encoded offset.
/// </summary>
internal static class Netascii
{
    public static bool TryEncode(ITftpSource source, long maxBytes, out MemoryTftpSource? encoded)
    {
        encoded = null;
        if (source.Length > maxBytes)
        {
            return false;
        }
        var input = new byte[source.Length];
        int length = source.Read(0, input);
        var output = new List<byte>(length + (length / 32));
        foreach (byte b in input.AsSpan(0, length))
        {
            switch (b)
            {
                case (byte)'\n':
                    output.Add((byte)'\r');
                    output.Add((byte)'\n');
                    break;
                case (byte)'\r':
                    output.Add((byte)'\r');
                    output.Add(0);
                    break;
                default:
                    output.Add(b);
                    break;
            }
        }
        if (output.Count > maxBytes)
        {
            return false;
        }
        encoded = new MemoryTftpSource(output.ToArray());
        return true;
    }
}
