using System.Buffers;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// A file sent in netascii (RFC 1350 §1 and RFC 764): a line ends in CR LF, and a bare CR is sent as
/// CR NUL. Encoded as it is read, in constant memory whatever the file's size: one pass at open
/// counts the encoded length (for tsize) and notes, every <see cref="Stride"/> bytes of the file,
/// where that point falls in the encoded stream, so a read at any encoded offset (a retransmitted
/// window) re-encodes at most one stride. Converting whole files in memory once took the process
/// from 0.5 to 1.7 GB for 48 requests of a 16 MB file.
/// </summary>
internal sealed class NetasciiSource : ITftpSource
{
    /// <summary>File bytes between two noted points: 16 bytes of index per 64 KiB of file.</summary>
    public const int Stride = 64 * 1024;

    private readonly ITftpSource _raw;
    private readonly long[] _encodedAt;

    public NetasciiSource(ITftpSource raw)
    {
        _raw = raw;
        _encodedAt = new long[(raw.Length / Stride) + 1];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Stride);
        try
        {
            long encoded = 0;
            for (int i = 0; i < _encodedAt.Length; i++)
            {
                _encodedAt[i] = encoded;
                int read = raw.Read((long)i * Stride, chunk.AsSpan(0, Stride));
                ReadOnlySpan<byte> bytes = chunk.AsSpan(0, read);
                encoded += read + bytes.Count((byte)'\n') + bytes.Count((byte)'\r');
            }
            Length = encoded;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public long Length { get; }

    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= Length || buffer.IsEmpty)
        {
            return 0;
        }
        // The last noted point at or before the offset; encode forward from there.
        int index = Array.BinarySearch(_encodedAt, offset);
        index = index >= 0 ? index : ~index - 1;
        // Equal noted offsets (an empty tail) would start past the data: take the first of them.
        while (index > 0 && _encodedAt[index - 1] == _encodedAt[index])
        {
            index--;
        }
        long source = (long)index * Stride;
        long encoded = _encodedAt[index];
        int written = 0;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Stride);
        try
        {
            while (written < buffer.Length)
            {
                int read = _raw.Read(source, chunk.AsSpan(0, Stride));
                if (read == 0)
                {
                    break;
                }
                foreach (byte b in chunk.AsSpan(0, read))
                {
                    // Each file byte is one or two encoded bytes; those before the offset are skipped.
                    (byte first, byte? second) = b switch
                    {
                        (byte)'\n' => ((byte)'\r', (byte?)'\n'),
                        (byte)'\r' => ((byte)'\r', (byte?)0),
                        _ => (b, null),
                    };
                    if (encoded++ >= offset)
                    {
                        buffer[written++] = first;
                    }
                    if (written < buffer.Length && second is { } next && encoded++ >= offset)
                    {
                        buffer[written++] = next;
                    }
                    if (written == buffer.Length)
                    {
                        return written;
                    }
                }
                source += read;
            }
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public void Dispose() => _raw.Dispose();
}
