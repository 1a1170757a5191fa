using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Mirror;
using Provisioner.Web.Files;

namespace Provisioner.Web.Mirror;

/// <summary>
/// <c>GET|HEAD /mirror/{archive}/{path}</c>: the package mirror, anonymous like an archive (apt, d-i and
/// mmdebstrap ask with no credentials). Cached files with range requests; a file arriving from upstream
/// is streamed to every client that asks meanwhile.
/// </summary>
public static class MirrorEndpoints
{
    public static IEndpointRouteBuilder MapPackageMirror(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/mirror/{archive}/{**path}", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        return app;
    }

    internal static async Task<IResult> GetAsync(string archive, string? path, PackageMirror mirror, HttpContext context)
    {
        MirrorAnswer answer = await mirror.OpenAsync(archive, path, context.RequestAborted);
        if (answer.Kind == MirrorAnswerKind.Streaming && context.Request.Headers.Range.Count > 0)
        {
            // A range of a file still arriving: served from the cache once it is complete.
            try
            {
                await answer.Download!.Finished.WaitAsync(context.RequestAborted);
                answer = answer with { Kind = MirrorAnswerKind.Cached, File = new CachedFile(answer.Download.FinalPath, 0, default) };
            }
            catch (MirrorDownloadException ex)
            {
                answer = answer with { Kind = MirrorAnswerKind.Failed, Reason = ex.Message };
            }
        }
        return answer.Kind switch
        {
            MirrorAnswerKind.Cached => Cached(answer.File!, mirror),
            MirrorAnswerKind.Streaming => new MirrorStreamResult(answer.Download!, answer.Length, mirror),
            MirrorAnswerKind.Refused => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status400BadRequest, title: "Path refused"),
            MirrorAnswerKind.NotFound => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            _ => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status502BadGateway, title: "Upstream archive failed"),
        };
    }

    /// <summary>A cached file, counted as it is handed to the connection (the range's bytes, for a range request).</summary>
    private static FileBody Cached(CachedFile file, PackageMirror mirror) =>
        new(file.FullPath, "application/octet-stream", mirror.Served);
}
