using Microsoft.Win32.SafeHandles;

namespace Provisioner.Pxe.Tftp;

/// <summary>A file on disk, read with pread so concurrent transfers share only the page cache.</summary>
public sealed class FileTftpSource(SafeFileHandle handle) : ITftpSource
{
    public long Length { get; } = RandomAccess.GetLength(handle);

    public int Read(long offset, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public void Dispose() => handle.Dispose();
}

/// <summary>Bytes already in memory: rendered configs, netascii conversions.</summary>
public sealed class MemoryTftpSource(ReadOnlyMemory<byte> content) : ITftpSource
{
    public long Length => content.Length;

    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= content.Length)
        {
            return 0;
        }
        ReadOnlySpan<byte> rest = content.Span[(int)offset..];
        int count = Math.Min(rest.Length, buffer.Length);
        rest[..count].CopyTo(buffer);
        return count;
    }

    public void Dispose()
    {
    }
}
