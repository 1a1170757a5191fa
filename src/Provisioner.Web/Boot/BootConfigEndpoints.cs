using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Boot;

/// <summary><c>GET /pxelinux.cfg/{name}</c>: the same per-host configs as TFTP, for iPXE and lpxelinux.</summary>
public static class BootConfigEndpoints
{
    public static IEndpointRouteBuilder MapBootConfigs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pxelinux.cfg/{name}", Get);
        return app;
    }

    internal static async Task<ContentHttpResult> Get(string name, HttpContext context, BootConfigs configs, CancellationToken cancellationToken)
    {
        string? config = await configs.RenderAsync(name, RequestClient.Address(context), RequestClient.BaseUrl(context), EventSources.Http, cancellationToken).ConfigureAwait(false);
        return config is null
            ? PlainText.NotFound($"pxelinux.cfg/{name}: no such config\n")
            : PlainText.Ok(config);
    }
}
