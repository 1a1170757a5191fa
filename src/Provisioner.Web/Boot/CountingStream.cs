namespace Provisioner.Web.Boot;

/// <summary>
/// A response body that counts the bytes written through it (the progress of HTTP downloads), and
/// tells whether all <paramref name="expected"/> bytes were written before the client went away.
/// </summary>
internal sealed class CountingStream(Stream inner, long expected, CancellationToken aborted) : Stream
{
    private long _written;
    private int _delivered;

    public long Written => Volatile.Read(ref _written);

    /// <summary>
    /// Every byte was written while the connection was still open. Read when the response ends:
    /// a client that closes the connection right after the last byte (curl, busybox wget) may
    /// signal <c>RequestAborted</c> before then, though it had everything.
    /// </summary>
    public bool Delivered => Volatile.Read(ref _delivered) == 1;

    private void Counted(long count)
    {
        if (Interlocked.Add(ref _written, count) >= expected && !aborted.IsCancellationRequested)
        {
            Volatile.Write(ref _delivered, 1);
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Counted(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Counted(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
