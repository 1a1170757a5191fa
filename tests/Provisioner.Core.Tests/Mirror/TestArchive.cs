using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Tests.Mirror;

/// <summary>
/// A real HTTP archive on 127.0.0.1 for the mirror's unit tests: serves <see cref="Files"/>, answers
/// 304 to a matching If-None-Match, counts every request, and on demand holds a body halfway
/// (<see cref="HoldAfter"/>) or cuts the connection there (<see cref="CutAfter"/>).
/// </summary>
internal sealed class TestArchive : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestArchive(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>Every request: path and If-None-Match (empty when none).</summary>
    public ConcurrentQueue<(string Path, string IfNoneMatch)> Requests { get; } = new();

    /// <summary>When set, bodies stop after this many bytes until <see cref="Release"/>.</summary>
    public int? HoldAfter { get; set; }

    /// <summary>When set, bodies are cut (connection aborted) after this many bytes.</summary>
    public int? CutAfter { get; set; }

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Uri { get; private set; } = null!;

    public int Count(string path) => Requests.Count(r => r.Path == path);

    public static async Task<TestArchive> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var archive = new TestArchive(app);
        app.Run(archive.ServeAsync);
        await app.StartAsync();
        archive.Uri = new Uri(app.Urls.First() + "/debian/");
        return archive;
    }

    private async Task ServeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value!;
        string ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        Requests.Enqueue((path, ifNoneMatch));
        if (!Files.TryGetValue(path, out byte[]? body))
        {
            context.Response.StatusCode = 404;
            return;
        }
        string etag = $"\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"";
        if (ifNoneMatch == etag)
        {
            context.Response.StatusCode = 304;
            return;
        }
        context.Response.Headers.ETag = etag;
        context.Response.ContentLength = body.Length;
        int first = Math.Min(body.Length, CutAfter ?? HoldAfter ?? body.Length);
        await context.Response.Body.WriteAsync(body.AsMemory(0, first));
        await context.Response.Body.FlushAsync();
        if (CutAfter is not null)
        {
            context.Abort();
            return;
        }
        if (HoldAfter is not null)
        {
            await Release.Task;
        }
        await context.Response.Body.WriteAsync(body.AsMemory(first));
    }

    /// <summary>Stops answering: the port is closed, so the mirror's next request is refused.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Release.TrySetResult();
        await _app.DisposeAsync();
    }
}
