using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A webhook receiver the test runs: <c>POST /hook</c> bodies are kept; <c>POST /silent</c> takes the
/// request and never answers. It listens on 127.0.0.1, or on a Unix socket, which a process inside a
/// test namespace reaches through a relay (<c>socat TCP-LISTEN:…,bind=127.0.0.1 UNIX-CONNECT:…</c>)
/// without any address in the root namespace.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string? httpBase)
    {
        _app = app;
        Base = httpBase;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>; null when listening on a Unix socket.</summary>
    public string? Base { get; }

    public ConcurrentQueue<JsonElement> Received { get; } = new();

    /// <param name="unixSocket">A socket path to listen on instead of a TCP port on 127.0.0.1.</param>
    public static async Task<WebhookReceiver> StartAsync(string? unixSocket = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        string? httpBase = null;
        if (unixSocket is null)
        {
            httpBase = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
            builder.WebHost.UseUrls(httpBase);
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(unixSocket));
        }
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, httpBase);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            receiver.Received.Enqueue(await request.ReadFromJsonAsync<JsonElement>());
            return Results.Ok();
        });
        app.MapPost("/silent", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The first alert of <paramref name="kind"/> (<c>build.failed</c>, …) the hook received, waiting up to <paramref name="limit"/>.</summary>
    public async Task<JsonElement> AlertAsync(string kind, TimeSpan limit)
    {
        JsonElement found = default;
        await NamespaceLab.WaitForAsync(() =>
        {
            foreach (JsonElement alert in Received)
            {
                if (alert.GetProperty("event").GetString() == kind)
                {
                    found = alert;
                    return Task.FromResult(true);
                }
            }
            return Task.FromResult(false);
        }, limit, $"a {kind} alert at the webhook");
        return found;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
