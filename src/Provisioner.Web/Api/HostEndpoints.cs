using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Api;

/// <summary>The host API under <c>/api/hosts</c>; every route needs a bearer token.</summary>
public static class HostEndpoints
{
    public static RouteGroupBuilder MapHostApi(this RouteGroupBuilder api)
    {
        RouteGroupBuilder hosts = api.MapGroup("/hosts");
        hosts.MapGet("/", List);
        hosts.MapGet("/{key}", Get);
        hosts.MapPost("/", Create);
        hosts.MapPut("/{id:int}", (int id, HostFields fields, HostService service, CancellationToken ct) => Update(id, fields, partial: false, service, ct));
        hosts.MapPatch("/{id:int}", (int id, HostFields fields, HostService service, CancellationToken ct) => Update(id, fields, partial: true, service, ct));
        hosts.MapDelete("/{id:int}", Delete);
        hosts.MapPost("/{id:int}/build", Build);
        hosts.MapPost("/{id:int}/cancel", Cancel);
        hosts.MapGet("/{id:int}/events", Events);
        hosts.MapGet("/{id:int}/log", Log).Produces<string>(StatusCodes.Status200OK, "text/plain");
        hosts.MapGet("/{id:int}/transfers", (int id, TransfersInFlight transfers) =>
            TypedResults.Ok(transfers.List(id).Select(t => new { t.Protocol, t.Path, t.Size, t.BytesSent, t.Percent, t.StartedAt, Peer = t.Peer.ToString() })));
        return hosts;
    }

    /// <summary>What a page holds when the client does not say.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>
    /// A page of hosts by hostname, as a JSON array. <c>limit</c> (1–1000, default 100) sizes it,
    /// <c>after</c> (a hostname) starts it. <c>X-Total-Count</c> counts every match, and a
    /// <c>Link: &lt;…&gt;; rel="next"</c> header (RFC 8288) gives the next page's URL while there is one.
    /// </summary>
    internal static async Task<Results<Ok<List<HostDto>>, ProblemHttpResult>> List(string? search, string? state, string? profile, int? limit, string? after,
        HttpContext http, HostService service, CancellationToken ct)
    {
        BuildState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse(state, ignoreCase: true, out BuildState parsed) || int.TryParse(state, out _))
            {
                return TypedResults.Problem($"state '{state}' is not one of: {string.Join(", ", Enum.GetValues<BuildState>().Select(s => s.Name()))}", statusCode: 400, title: "Invalid filter");
            }
            wanted = parsed;
        }
        if (limit is < 1 or > HostPage.MaxSize)
        {
            return TypedResults.Problem($"limit must be between 1 and {HostPage.MaxSize}", statusCode: 400, title: "Invalid query");
        }
        int size = limit ?? DefaultPageSize;
        // One more than asked for says whether a next page exists without a second query.
        HostPage page = await service.PageAfterAsync(new HostQuery(search, wanted, profile), string.IsNullOrEmpty(after) ? null : after, size + 1, ct).ConfigureAwait(false);
        List<HostDto> hosts = page.Hosts.Take(size).Select(HostDto.From).ToList();
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (page.Hosts.Count > size)
        {
            http.Response.Headers.Link = PageLink.Next(http.Request, "after", hosts[^1].Hostname, size);
        }
        return TypedResults.Ok(hosts);
    }

    /// <summary>By id, MAC (any spelling) or hostname.</summary>
    internal static async Task<Results<Ok<HostDto>, ProblemHttpResult>> Get(string key, HostService service, CancellationToken ct) =>
        await service.FindAsync(key, ct).ConfigureAwait(false) is { } host
            ? TypedResults.Ok(HostDto.From(host))
            : TypedResults.Problem($"no host with id, MAC or hostname '{key}'", statusCode: 404, title: "Not found");

    internal static async Task<Created<HostDto>> Create(HostFields fields, HostService service, CancellationToken ct)
    {
        HostRecord host = await service.CreateAsync(fields, ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/hosts/{host.Id}", HostDto.From(host));
    }

    internal static async Task<Ok<HostDto>> Update(int id, HostFields fields, bool partial, HostService service, CancellationToken ct) =>
        TypedResults.Ok(HostDto.From(await service.UpdateAsync(id, fields, partial, ct).ConfigureAwait(false)));

    internal static async Task<NoContent> Delete(int id, HostService service, CancellationToken ct)
    {
        await service.DeleteAsync(id, ct).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>Requests a build; when the profile's kernel or initrd is not in the boot dir, the answer's <c>warnings</c> say so (the build is requested all the same: the files may be copied before the host boots).</summary>
    internal static async Task<Ok<HostDto>> Build(int id, BuildTracker tracker, Core.Boot.ProfileBootFiles bootFiles, CancellationToken ct)
    {
        HostRecord host = await tracker.RequestBuildAsync(id, EventSources.Api, ct).ConfigureAwait(false);
        IReadOnlyList<string> warnings = await bootFiles.BuildWarningsAsync(host.Profile).ConfigureAwait(false);
        return TypedResults.Ok(HostDto.From(host) with { Warnings = warnings.Count > 0 ? warnings : null });
    }

    internal static async Task<Ok<HostDto>> Cancel(int id, BuildTracker tracker, CancellationToken ct) =>
        TypedResults.Ok(HostDto.From(await tracker.CancelBuildAsync(id, EventSources.Api, ct).ConfigureAwait(false)));

    /// <summary>The installer log of the host's current or last build, as text; <c>?tail=N</c> for the last N lines.</summary>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Log(int id, int? tail, HostService service, InstallerLogs logs, CancellationToken ct)
    {
        if (await service.FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false) is null)
        {
            return TypedResults.Problem($"no host with id {id}", statusCode: 404, title: "Not found");
        }
        if (tail is < 1)
        {
            return TypedResults.Problem("tail must be at least 1", statusCode: 400, title: "Invalid query");
        }
        return TypedResults.Text(InstallerLogs.Format(await logs.ReadAsync(id, tail, ct).ConfigureAwait(false)), "text/plain; charset=utf-8");
    }

    internal static async Task<Ok<List<HostEventDto>>> Events(int id, BuildTracker tracker, CancellationToken ct) =>
        TypedResults.Ok((await tracker.TimelineAsync(id, ct).ConfigureAwait(false)).Select(HostEventDto.From).ToList());
}
