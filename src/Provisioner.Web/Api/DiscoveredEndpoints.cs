using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Pxe.Net;

namespace Provisioner.Web.Api;

/// <summary>
/// Unknown machines seen PXE-booting: <c>GET /api/discovered</c> (newest first),
/// <c>POST /api/discovered/{mac}/register</c> with the host's other fields, and
/// <c>POST /api/discovered/{mac}/dismiss</c>.
/// </summary>
public static class DiscoveredEndpoints
{
    public static RouteGroupBuilder MapDiscoveredApi(this RouteGroupBuilder api)
    {
        RouteGroupBuilder discovered = api.MapGroup("/discovered");
        discovered.MapGet("/", (DiscoveredMachines machines) => TypedResults.Ok(machines.List()));
        discovered.MapPost("/{mac}/register", Register);
        discovered.MapPost("/{mac}/dismiss", Dismiss);
        return api;
    }

    internal static async Task<Results<Created<HostDto>, ProblemHttpResult>> Register(string mac, HostFields fields, DiscoveredMachines machines, HostService hosts, CancellationToken ct)
    {
        if (!MacAddress.TryParse(mac, out MacAddress parsed))
        {
            return TypedResults.Problem($"'{mac}' is not a MAC address", statusCode: StatusCodes.Status400BadRequest, title: "Invalid MAC");
        }
        HostRecord host = await hosts.CreateAsync(fields with { Mac = parsed.ToString() }, ct).ConfigureAwait(false);
        machines.Remove(parsed);
        return TypedResults.Created($"/api/hosts/{host.Id}", HostDto.From(host));
    }

    internal static Results<NoContent, ProblemHttpResult> Dismiss(string mac, DiscoveredMachines machines) =>
        MacAddress.TryParse(mac, out MacAddress parsed) && machines.Dismiss(parsed)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"no discovered machine '{mac}'", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
