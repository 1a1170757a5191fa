namespace Provisioner.Web.Boot;

/// <summary>
/// The bytes of one HTTP response handed to the connection so far (the progress of a download), and
/// whether all <paramref name="expected"/> of them were handed over before the client went away.
/// </summary>
internal sealed class TransferCount(long expected, CancellationToken aborted)
{
    private long _written;
    private int _delivered;

    public long Written => Volatile.Read(ref _written);

    /// <summary>
    /// Every byte was handed over while the connection was still open. Read when the response ends:
    /// a client that closes the connection right after the last byte (curl, busybox wget) may
    /// signal <c>RequestAborted</c> before then, though it had everything.
    /// </summary>
    public bool Delivered => Volatile.Read(ref _delivered) == 1;

    public void Add(int count)
    {
        if (Interlocked.Add(ref _written, count) >= expected && !aborted.IsCancellationRequested)
        {
            Volatile.Write(ref _delivered, 1);
        }
    }
}
