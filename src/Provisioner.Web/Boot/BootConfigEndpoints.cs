using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

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
            app.MapGet($"/{loader.Description}{{name}}", (string name, HttpContext context, BootConfigs configs, CancellationToken ct) => Get(loader, name, context, configs, ct));
        }
        return app;
    }

    internal static async Task<ContentHttpResult> Get(BootLoader loader, string name, HttpContext context, BootConfigs configs, CancellationToken cancellationToken)
    {
        string? config = await configs.RenderAsync(loader, name, RequestClient.Address(context), RequestClient.BaseUrl(context), EventSources.Http, cancellationToken).ConfigureAwait(false);
        return config is null
            ? PlainText.NotFound($"{loader.Description}{name}: no such config\n")
            : PlainText.Ok(config);
    }
}
