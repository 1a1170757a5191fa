using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Boot;
using Provisioner.Core.Events;
using Provisioner.Web.Files;

namespace Provisioner.Web.Boot;

/// <summary>
/// <c>GET /boot/{path}</c>: the same files TFTP serves, with Content-Length and range requests, for
/// iPXE and lpxelinux clients that fetch over HTTP.
/// </summary>
public static class BootFileEndpoints
{
    public static IEndpointRouteBuilder MapBootFiles(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/boot/{**path}", [HttpMethods.Get, HttpMethods.Head], Get);
        return app;
    }

    internal static IResult Get(string? path, BootFiles files, HttpContext context, IEventBus bus, TimeProvider time)
    {
        BootFileLookup lookup = files.Find(path ?? string.Empty);
        if (lookup.Status == BootFileStatus.Found)
        {
            TransferCount? counted = HttpTransferEvents.TrackFile(context, path ?? string.Empty, new FileInfo(lookup.FullPath).Length, bus, time);
            return new FileBody(lookup.FullPath, "application/octet-stream", counted is null ? null : counted.Add);
        }
        if (lookup.Status == BootFileStatus.NotFound && context.Connection.RemoteIpAddress is { } address)
        {
            bus.Publish(new BootFileNotFound(time.GetUtcNow(), "http", new System.Net.IPEndPoint(address, context.Connection.RemotePort), path ?? string.Empty));
        }
        return lookup.Status switch
        {
            BootFileStatus.Denied => TypedResults.Problem(lookup.Reason, statusCode: StatusCodes.Status403Forbidden, title: "Path refused"),
            _ => TypedResults.NotFound(lookup.Reason),
        };
    }
}
