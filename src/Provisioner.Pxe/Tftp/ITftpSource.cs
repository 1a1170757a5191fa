namespace Provisioner.Pxe.Tftp;

/// <summary>The bytes of one file being sent. Reads are positional so a lost window can be re-read.</summary>
public interface ITftpSource : IDisposable
{
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; fewer only at the end.</summary>
    int Read(long offset, Span<byte> buffer);
}
