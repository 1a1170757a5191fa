using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Audit;

namespace Provisioner.Web.Api;

/// <summary>
/// <c>GET /api/audit</c>: who did each change and build request, newest first, a page at a time:
/// <c>limit</c> (1–1000, default 100), <c>before</c> (an entry's id) to go back, filters <c>actor</c>,
/// <c>action</c> (<c>host.edit</c>, or <c>host</c> for every host action), <c>target</c> and <c>host</c> (id).
/// <c>X-Total-Count</c> counts every match; <c>Link: rel="next"</c> names the older page while there is one.
/// </summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List);
        return api;
    }

    public sealed record AuditEntryDto(long Id, DateTime At, string Actor, string Via, string Action, string Target, int? HostId, string? Detail)
    {
        public static AuditEntryDto From(AuditEntry e) =>
            new(e.Id, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.Actor, e.Via, e.Action, e.Target, e.HostId, e.Detail);
    }

    internal static async Task<Results<Ok<List<AuditEntryDto>>, ProblemHttpResult>> List(int? limit, long? before, string? actor, string? action, string? target, int? host,
        HttpContext http, AuditTrail trail, CancellationToken ct)
    {
        if (limit is < 1 or > AuditTrail.MaxPageSize)
        {
            return TypedResults.Problem($"limit must be between 1 and {AuditTrail.MaxPageSize}", statusCode: 400, title: "Invalid query");
        }
        if (!string.IsNullOrWhiteSpace(action) && !AuditActions.IsActionOrKind(action.Trim()))
        {
            return TypedResults.Problem($"action '{action}' is none of: {string.Join(", ", AuditActions.All)} (or a kind: {string.Join(", ", AuditActions.Kinds)})",
                statusCode: 400, title: "Invalid filter");
        }
        int size = limit ?? AuditTrail.DefaultPageSize;
        AuditPage page = await trail.PageAsync(new AuditQuery(actor, action, target, host), before, size, ct).ConfigureAwait(false);
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(CultureInfo.InvariantCulture);
        if (page.More)
        {
            http.Response.Headers.Link = PageLink.Next(http.Request, "before", page.Entries[^1].Id.ToString(CultureInfo.InvariantCulture), size);
        }
        return TypedResults.Ok(page.Entries.Select(AuditEntryDto.From).ToList());
    }
}
