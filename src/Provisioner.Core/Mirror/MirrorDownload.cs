namespace Provisioner.Core.Mirror;

/// <summary>How an upstream request began: streaming a body, or why not.</summary>
public enum DownloadStartKind
{
    /// <summary>200: the body is arriving in the partial file.</summary>
    Streaming,

    /// <summary>304: the cached copy is current.</summary>
    NotModified,

    /// <summary>404 or 410 upstream.</summary>
    NotFound,

    /// <summary>Unreachable, timed out, or any other status: <see cref="DownloadStart.Reason"/> says which.</summary>
    Failed,
}

public sealed record DownloadStart(DownloadStartKind Kind, long? Length, string Reason);

/// <summary>
/// One upstream download that any number of clients read while it arrives: the writer appends to a
/// partial file and advances <see cref="Written"/>; each reader has its own handle on that file and
/// waits for more. When the download is complete it is moved into the cache (readers keep reading
/// through their handle); when it fails, readers that already started are cut off, so their clients
/// see a short transfer and never a wrong file.
/// </summary>
public sealed class MirrorDownload
{
    private readonly TaskCompletionSource<DownloadStart> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _written;

    public MirrorDownload(MirrorPath path, string partialPath, string finalPath)
    {
        Path = path;
        PartialPath = partialPath;
        FinalPath = finalPath;
    }

    public MirrorPath Path { get; }

    public string PartialPath { get; }

    public string FinalPath { get; }

    /// <summary>Completes when upstream answered (or could not be reached).</summary>
    public Task<DownloadStart> Started => _started.Task;

    /// <summary>Completes when the body is complete and cached; faults with the reason when it is not.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Bytes in the partial file so far.</summary>
    public long Written => Volatile.Read(ref _written);

    internal void Start(DownloadStart start) => _started.TrySetResult(start);

    internal void Advance(int count)
    {
        Interlocked.Add(ref _written, count);
        Pulse();
    }

    internal void Complete()
    {
        _finished.TrySetResult();
        Pulse();
    }

    internal void Fail(string reason)
    {
        _finished.TrySetException(new MirrorDownloadException(reason));
        Pulse();
    }

    /// <summary>
    /// Copies the file to <paramref name="destination"/> as it arrives, telling <paramref name="sent"/> after each write;
    /// throws <see cref="MirrorDownloadException"/> when the download fails.
    /// </summary>
    public async Task CopyToAsync(Stream destination, Action<int>? sent, CancellationToken cancel)
    {
        await using FileStream file = await OpenForReadingAsync();
        long position = 0;
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            // Take the wake-up before looking at Written, so an advance in between is not missed.
            Task progress = Volatile.Read(ref _progress).Task;
            long available = Written - position;
            if (available > 0)
            {
                int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(available, buffer.Length)), cancel);
                if (read == 0)
                {
                    throw new MirrorDownloadException("the partial file ended before the bytes written to it");
                }
                await destination.WriteAsync(buffer.AsMemory(0, read), cancel);
                sent?.Invoke(read);
                position += read;
                continue;
            }
            if (Finished.IsCompleted)
            {
                await Finished; // throws the reason when it failed
                if (Written <= position)
                {
                    return;
                }
                continue;
            }
            await progress.WaitAsync(cancel);
        }
    }

    /// <summary>The partial file, or, when the download was moved into the cache meanwhile, the cached file.</summary>
    private async Task<FileStream> OpenForReadingAsync()
    {
        try
        {
            return Open(PartialPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Moved into the cache (or failed and deleted): its end tells which.
            await Finished;
            return Open(FinalPath);
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);

    private void Pulse() => Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>An upstream download that did not complete: the reason is the message.</summary>
public sealed class MirrorDownloadException(string reason) : Exception(reason);
