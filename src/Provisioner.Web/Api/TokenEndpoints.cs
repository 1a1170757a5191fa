using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Api;

/// <summary><c>GET /api/tokens</c> lists the API tokens (never the tokens themselves); <c>DELETE /api/tokens/{id}</c> revokes one.</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokenApi(this RouteGroupBuilder api)
    {
        RouteGroupBuilder tokens = api.MapGroup("/tokens");
        tokens.MapGet("", List);
        tokens.MapDelete("/{id:int}", Revoke);
        return api;
    }

    internal static async Task<Ok<List<ApiTokenInfo>>> List(ApiTokens tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(ct).ConfigureAwait(false));

    /// <summary>Unknown ids reach <see cref="ErrorHandlers"/> as a not-found refusal (404 problem details).</summary>
    internal static async Task<NoContent> Revoke(int id, ApiTokens tokens, CancellationToken ct)
    {
        await tokens.RevokeAsync(id, ct).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
