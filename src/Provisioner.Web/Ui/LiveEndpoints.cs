using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Network;

namespace Provisioner.Web.Ui;

/// <summary>
/// <c>GET /live</c>: Server-Sent Events telling open pages what changed, so they fetch their live
/// parts again (ui.js). The events carry ids, never data: what a page shows is always rendered
/// (and escaped) by the page itself, with the viewer's own permissions.
/// <list type="bullet">
/// <item><c>host</c> (data: host id) when a host or its timeline changed;</item>
/// <item><c>transfers</c> every <see cref="Tick"/> while boot files are on their way, and once when the last ends;</item>
/// <item><c>discovered</c> when the list of unknown machines changed.</item>
/// </list>
/// </summary>
internal static class LiveEndpoints
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>A comment line this often keeps idle connections (and proxies) from timing out.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live", StreamAsync).RequireAuthorization(UiRoles.SignedIn);
        return app;
    }

    private static async Task StreamAsync(HttpContext context, IEventBus bus, TransfersInFlight transfers, DiscoveredMachines discovered, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // Tell reverse proxies (nginx) not to buffer the stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // Ends when the page goes away or the appliance stops: an open stream must not hold up shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        CancellationToken stopping = linked.Token;
        var messages = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        Task relay = RelayHostChangesAsync(bus, messages.Writer, stopping);
        Task poll = PollAsync(transfers, discovered, time, messages.Writer, stopping);
        await context.Response.WriteAsync(": connected\n\n", stopping).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(stopping).ConfigureAwait(false);
        try
        {
            await foreach (string message in messages.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(message, stopping).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(relay, poll).ConfigureAwait(false);
    }

    private static async Task RelayHostChangesAsync(IEventBus bus, ChannelWriter<string> writer, CancellationToken stopping)
    {
        try
        {
            await foreach (ProvisionerEvent published in bus.SubscribeAsync(stopping).ConfigureAwait(false))
            {
                if (published is HostChanged changed)
                {
                    writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"event: host\ndata: {changed.HostId}\n\n"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task PollAsync(TransfersInFlight transfers, DiscoveredMachines discovered, TimeProvider time, ChannelWriter<string> writer, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Tick, time);
        long seen = discovered.Version;
        bool wereRunning = false;
        TimeSpan quiet = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                bool running = transfers.Count > 0;
                if (running || wereRunning)
                {
                    writer.TryWrite("event: transfers\ndata: \n\n");
                    quiet = TimeSpan.Zero;
                }
                wereRunning = running;
                if (discovered.Version != seen)
                {
                    seen = discovered.Version;
                    writer.TryWrite("event: discovered\ndata: \n\n");
                    quiet = TimeSpan.Zero;
                }
                quiet += Tick;
                if (quiet >= KeepAlive)
                {
                    writer.TryWrite(": keep-alive\n\n");
                    quiet = TimeSpan.Zero;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
