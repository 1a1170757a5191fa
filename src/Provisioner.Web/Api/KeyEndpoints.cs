using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Access;

namespace Provisioner.Web.Api;

/// <summary>
/// The site's SSH public keys: <c>GET /api/keys</c> lists them, <c>POST /api/keys</c> adds the keys in
/// <c>{"key": "…", "name": "…"}</c> (one or more lines, all or nothing), <c>DELETE /api/keys/{id}</c>
/// removes one. Refusals reach <see cref="ErrorHandlers"/> (400 naming each bad line, 409 for a key
/// already stored, 404 for an unknown id).
/// </summary>
public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeyApi(this RouteGroupBuilder api)
    {
        RouteGroupBuilder keys = api.MapGroup("/keys");
        keys.MapGet("", List);
        keys.MapPost("", Add);
        keys.MapDelete("/{id:int}", Remove);
        return api;
    }

    /// <summary>What <c>POST /api/keys</c> takes.</summary>
    public sealed record NewKeys(string? Key, string? Name);

    internal static async Task<Ok<List<SshKeyInfo>>> List(SshKeys keys, CancellationToken ct) =>
        TypedResults.Ok(await keys.ListAsync(ct).ConfigureAwait(false));

    internal static async Task<Created<List<SshKeyInfo>>> Add(NewKeys body, SshKeys keys, CancellationToken ct) =>
        TypedResults.Created("/api/keys", await keys.AddAsync(body.Key ?? string.Empty, body.Name, ct).ConfigureAwait(false));

    internal static async Task<NoContent> Remove(int id, SshKeys keys, CancellationToken ct)
    {
        await keys.RemoveAsync(id, ct).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
