using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Network;

namespace Provisioner.Web.Api;

/// <summary><c>GET /api/bindings</c>: the IP→MAC bindings capture has learnt, by IP.</summary>
public static class BindingEndpoints
{
    public sealed record BindingDto(string Ip, string Mac, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

    public static RouteGroupBuilder MapBindingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/bindings", List);
        return api;
    }

    internal static Ok<List<BindingDto>> List(IIpMacBindings bindings) =>
        TypedResults.Ok(bindings.List().Select(b => new BindingDto(b.Ip.ToString(), b.Mac.ToString(), b.FirstSeen, b.LastSeen)).ToList());
}
