using System.Globalization;

namespace Provisioner.Pxe.Tftp;

/// <summary>The transfer parameters agreed with one client.</summary>
internal sealed record TftpTransferSettings(int BlockSize, int WindowSize, TimeSpan Timeout, IReadOnlyList<TftpOption> Acknowledged)
{
    /// <summary>RFC 2347: the server sends an OACK only when it acknowledges at least one option.</summary>
    public bool NeedsOptionAck => Acknowledged.Count > 0;
}

/// <summary>Option negotiation for a read request: RFC 2347, 2348, 2349 and 7440.</summary>
internal static class TftpNegotiation
{
    /// <summary>RFC 1350 §2: without the blksize option, data is sent in 512-byte blocks.</summary>
    public const int DefaultBlockSize = 512;

    /// <summary>RFC 2348: "Valid values range between 8 and 65464 octets, inclusive."</summary>
    public const int MinBlockSize = 8;
    public const int MaxBlockSize = 65464;

    /// <summary>Above this, a 16-bit ACK number no longer names one block of the window unambiguously.</summary>
    public const int MaxUnambiguousWindow = 32768;

    public static TftpTransferSettings Negotiate(IReadOnlyList<TftpOption> requested, long transferSize, TftpServerOptions limits)
    {
        int blockSize = DefaultBlockSize;
        int windowSize = 1;
        TimeSpan timeout = limits.Timeout;
        var acknowledged = new List<TftpOption>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (TftpOption option in requested)
        {
            // RFC 2347: option names are case-insensitive. A repeated option is ambiguous; keep the first.
            if (!seen.Add(option.Name))
            {
                continue;
            }
            switch (option.Name.ToLowerInvariant())
            {
                case "blksize" when TryParse(option.Value, MinBlockSize, MaxBlockSize, out int size):
                    // RFC 2348: the server may answer a smaller size than asked, never a larger one.
                    blockSize = Math.Min(size, Math.Clamp(limits.MaxBlockSize, MinBlockSize, MaxBlockSize));
                    acknowledged.Add(new TftpOption(option.Name, Format(blockSize)));
                    break;
                case "tsize" when TryParse(option.Value, 0, long.MaxValue, out long _):
                    // RFC 2349: in a read request the client sends 0 and the server answers the size.
                    // iPXE and pxelinux are much slower without it, so it is always answered.
                    acknowledged.Add(new TftpOption(option.Name, Format(transferSize)));
                    break;
                case "timeout" when TryParse(option.Value, 1, 255, out int seconds) && seconds <= limits.MaxTimeout.TotalSeconds:
                    // RFC 2349: 1-255 seconds; the server must use the value asked or refuse the option.
                    // Above MaxTimeout it is refused: 255 s with 5 retries held a slot for 25 minutes.
                    timeout = TimeSpan.FromSeconds(seconds);
                    acknowledged.Add(new TftpOption(option.Name, Format(seconds)));
                    break;
                case "windowsize" when TryParse(option.Value, 1, 65535, out int window):
                    // RFC 7440 §3: the server may answer a smaller window than asked.
                    windowSize = Math.Min(window, Math.Clamp(limits.MaxWindowSize, 1, MaxUnambiguousWindow));
                    acknowledged.Add(new TftpOption(option.Name, Format(windowSize)));
                    break;
                default:
                    // RFC 2347: unknown options, or values out of range, are left out of the OACK.
                    break;
            }
        }
        return new TftpTransferSettings(blockSize, windowSize, timeout, acknowledged);
    }

    private static bool TryParse(string text, int min, int max, out int value)
    {
        bool ok = TryParse(text, min, (long)max, out long wide);
        value = (int)wide;
        return ok;
    }

    private static bool TryParse(string text, long min, long max, out long value)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            value = 0;
            return false;
        }
        return true;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
