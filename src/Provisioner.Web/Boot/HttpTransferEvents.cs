using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Provisioner.Core.Events;

namespace Provisioner.Web.Boot;

/// <summary>
/// Publishes whole-file HTTP downloads of boot files (iPXE and lpxelinux fetch kernels this way) as
/// transfer events, like TFTP's, so they reach the fetching host's build timeline.
/// </summary>
internal static class HttpTransferEvents
{
    private const string Protocol = "http";

    /// <param name="inFlight">
    /// Whether the transfer is listed while it runs (<see cref="TransferStarted"/>, for the progress a
    /// host page shows). A rendered config of a few hundred bytes is over before anyone could see it:
    /// only its end is published, one event instead of two on the busiest path (bench/render.sh).
    /// </param>
    public static void Track(HttpContext context, string path, long size, IEventBus bus, TimeProvider time, bool inFlight = true)
    {
        if (Count(context, path, size, bus, time, inFlight) is { } counted)
        {
            context.Response.Body = new CountingStream(context.Response.Body, counted);
        }
    }

    /// <summary>
    /// As <see cref="Track"/>, for a body that counts itself (<see cref="Files.FileBody"/>, which writes
    /// to the response pipe, not through a stream): what to count into, or null when this is no transfer.
    /// </summary>
    public static TransferCount? TrackFile(HttpContext context, string path, long size, IEventBus bus, TimeProvider time) =>
        Count(context, path, size, bus, time, inFlight: true);

    private static TransferCount? Count(HttpContext context, string path, long size, IEventBus bus, TimeProvider time, bool inFlight)
    {
        // Only complete GETs: HEAD and ranges are probes and resumptions, not a transfer of the file.
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Headers.Range.Count > 0)
        {
            return null;
        }
        var peer = new IPEndPoint(RequestClient.Address(context), context.Connection.RemotePort);
        long started = Stopwatch.GetTimestamp();
        TransferCount counted = Ended(context, size, delivered => bus.Publish(delivered
            ? new TransferCompleted(time.GetUtcNow(), Protocol, peer, path, size, Stopwatch.GetElapsedTime(started))
            : new TransferFailed(time.GetUtcNow(), Protocol, peer, path, size, 0, "connection closed before the end")));
        if (inFlight)
        {
            bus.Publish(new TransferStarted(time.GetUtcNow(), Protocol, peer, path, size) { BytesSent = () => counted.Written });
        }
        return counted;
    }

    /// <summary>Counts the response body of <paramref name="size"/> bytes; <paramref name="ended"/> learns, once the response is over, whether all of it went out.</summary>
    public static void WhenEnded(HttpContext context, long size, Action<bool> ended) =>
        context.Response.Body = new CountingStream(context.Response.Body, Ended(context, size, ended));

    private static TransferCount Ended(HttpContext context, long size, Action<bool> ended)
    {
        var counted = new TransferCount(size, context.RequestAborted);
        context.Response.OnCompleted(() =>
        {
            ended(counted.Delivered);
            return Task.CompletedTask;
        });
        return counted;
    }
}
