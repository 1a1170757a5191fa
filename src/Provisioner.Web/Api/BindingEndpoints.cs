using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Network;

namespace Provisioner.Web.Api;

/// <summary>
/// <c>GET /api/bindings</c>: the IP→MAC bindings capture has learnt, by IP; <c>vouched</c> when a
/// trusted DHCP server assigned the address (only those answer the generic preseed URL).
/// </summary>
public static class BindingEndpoints
{
    public sealed record BindingDto(string Ip, string Mac, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Vouched);

    public static RouteGroupBuilder MapBindingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/bindings", List);
        return api;
    }

    internal static Ok<List<BindingDto>> List(IIpMacBindings bindings) =>
        TypedResults.Ok(bindings.List().Select(b => new BindingDto(b.Ip.ToString(), b.Mac.ToString(), b.FirstSeen, b.LastSeen, b.Vouched)).ToList());
}
