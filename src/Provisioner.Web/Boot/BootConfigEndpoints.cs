using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;

namespace Provisioner.Web.Boot;

/// <summary>
/// The per-host boot configs over HTTP, the same as TFTP's: <c>GET /pxelinux.cfg/{name}</c>
/// (lpxelinux), <c>GET /grub/{name}</c> (GRUB over HTTP) and <c>GET /ipxe/{mac}</c> (an iPXE script;
/// <c>/ipxe/default</c> and unknown MACs get the default script).
/// </summary>
public static class BootConfigEndpoints
{
    public static IEndpointRouteBuilder MapBootConfigs(this IEndpointRouteBuilder app)
    {
        foreach (BootLoader loader in BootLoader.All)
        {
            app.MapGet($"/{loader.Description}{{name}}", (string name, HttpContext context, BootConfigs configs, IEventBus bus, TimeProvider time, CancellationToken ct) =>
                Get(loader, name, context, configs, bus, time, ct));
        }
        return app;
    }

    internal static async Task<ContentHttpResult> Get(BootLoader loader, string name, HttpContext context, BootConfigs configs, IEventBus bus, TimeProvider time,
        CancellationToken cancellationToken)
    {
        string? config = await configs.RenderAsync(loader, name, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            return PlainText.NotFound($"{loader.Description}{name}: no such config\n");
        }
        // A transfer like any other: build tracking records the config as served once it went out whole.
        HttpTransferEvents.Track(context, loader.Description + name, System.Text.Encoding.UTF8.GetByteCount(config), bus, time, inFlight: false);
        return PlainText.Ok(config);
    }
}
