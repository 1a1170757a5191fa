using Microsoft.AspNetCore.Http;
using Provisioner.Core.Mirror;

namespace Provisioner.Web.Mirror;

/// <summary>
/// A file still arriving from upstream, sent as it arrives, with the length upstream announced. When the
/// download fails the connection is cut: the client sees a short transfer (and apt retries), never a
/// complete-looking wrong file.
/// </summary>
internal sealed class MirrorStreamResult(MirrorDownload download, long? length, PackageMirror mirror) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        try
        {
            // Counted as handed over, so a client cut off midway counts what it was given.
            await download.CopyToAsync(context.Response.Body, mirror.Served, context.RequestAborted);
        }
        catch (MirrorDownloadException)
        {
            context.Abort();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the download goes on for the others and the cache.
        }
    }
}
