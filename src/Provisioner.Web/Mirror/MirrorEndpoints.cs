using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Mirror;

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
            MirrorAnswerKind.Cached => Cached(answer.File!, mirror, context),
            MirrorAnswerKind.Streaming => new MirrorStreamResult(answer.Download!, answer.Length, mirror),
            MirrorAnswerKind.Refused => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status400BadRequest, title: "Path refused"),
            MirrorAnswerKind.NotFound => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            _ => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status502BadGateway, title: "Upstream archive failed"),
        };
    }

    private static PhysicalFileHttpResult Cached(CachedFile file, PackageMirror mirror, HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            // Counted when handed over: the length the response promised (the range, for a range request).
            context.Response.OnCompleted(() =>
            {
                mirror.Served(context.Response.ContentLength ?? 0);
                return Task.CompletedTask;
            });
        }
        return TypedResults.PhysicalFile(file.FullPath, "application/octet-stream", enableRangeProcessing: true);
    }
}
