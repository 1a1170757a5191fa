using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Provisioner.Web.Files;

/// <summary>
/// A whole file, or one byte range of it (RFC 9110 §14), read straight into the response pipe's memory:
/// no copy between the page cache and the socket's buffers but the read itself, which is what kept
/// <c>PhysicalFile</c> (a 64 KiB copy loop through a stream) at 0.6× nginx for one client
/// (bench/mirror.sh). A few transfers at a time read 256 KiB per flush; the rest 64 KiB, so fifty
/// clients do not hold fifty large buffers. HEAD gets the headers alone. <paramref name="handedOver"/>
/// hears each chunk given to the connection.
/// </summary>
internal sealed class FileBody(string path, string contentType, Action<int>? handedOver = null) : IResult
{
    private const int LargeChunk = 256 * 1024;
    private const int SmallChunk = 64 * 1024;

    /// <summary>Transfers reading large chunks at once; beyond them, small ones.</summary>
    private static readonly SemaphoreSlim LargeSlots = new(8);

    public async Task ExecuteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        long length = info.Length;
        DateTimeOffset modified = new(info.LastWriteTimeUtc.AddTicks(-(info.LastWriteTimeUtc.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.Zero);
        ResponseHeaders headers = response.GetTypedHeaders();
        headers.LastModified = modified;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = contentType;
        (long from, long count) = (0, length);
        if (RequestedRange(context.Request, modified, length) is { } range)
        {
            if (range.From is null)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                headers.ContentRange = new ContentRangeHeaderValue(length);
                return;
            }
            (from, count) = (range.From.Value, range.To!.Value - range.From.Value + 1);
            response.StatusCode = StatusCodes.Status206PartialContent;
            headers.ContentRange = new ContentRangeHeaderValue(from, from + count - 1, length);
        }
        response.ContentLength = count;
        if (HttpMethods.IsHead(context.Request.Method) || count == 0)
        {
            return;
        }
        await SendAsync(context, from, count).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpContext context, long from, long count)
    {
        PipeWriter writer = context.Response.BodyWriter;
        CancellationToken aborted = context.RequestAborted;
        bool large = LargeSlots.Wait(0);
        int chunk = large ? LargeChunk : SmallChunk;
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
            long offset = from;
            long left = count;
            while (left > 0)
            {
                Memory<byte> memory = writer.GetMemory(chunk);
                int want = (int)Math.Min(Math.Min(memory.Length, chunk), left);
                int read = await RandomAccess.ReadAsync(file, memory[..want], offset, aborted).ConfigureAwait(false);
                if (read == 0)
                {
                    // Shorter than when it was measured (replaced meanwhile): the client sees a short body, not a wrong one.
                    context.Abort();
                    return;
                }
                writer.Advance(read);
                handedOver?.Invoke(read);
                offset += read;
                left -= read;
                FlushResult flushed = await writer.FlushAsync(aborted).ConfigureAwait(false);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            if (large)
            {
                LargeSlots.Release();
            }
        }
    }

    /// <summary>
    /// The one range asked for, resolved against <paramref name="length"/> (From null: none of it can be
    /// given, 416); null to send the whole file: no Range, several ranges, another unit, or an If-Range
    /// that no longer matches.
    /// </summary>
    private static (long? From, long? To)? RequestedRange(HttpRequest request, DateTimeOffset modified, long length)
    {
        RequestHeaders headers = request.GetTypedHeaders();
        if (headers.Range is not { Unit.Value: "bytes", Ranges.Count: 1 } range)
        {
            return null;
        }
        if (headers.IfRange is { } ifRange && (ifRange.EntityTag is not null || ifRange.LastModified != modified))
        {
            return null;
        }
        RangeItemHeaderValue item = range.Ranges.Single();
        if (item.From is { } start)
        {
            return start >= length ? (null, null) : (start, Math.Min(item.To ?? length - 1, length - 1));
        }
        long suffix = Math.Min(item.To ?? 0, length);
        return suffix == 0 ? (null, null) : (length - suffix, length - 1);
    }
}
