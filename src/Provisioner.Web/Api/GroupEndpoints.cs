using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Api;

/// <summary>A host group as the API shows it, with how many hosts are in it.</summary>
public sealed record HostGroupDto(int Id, string Name, string? Description, string? Domain, string? Gateway, IReadOnlyList<string> Dns,
    string? Profile, string? Console, InstallSettings Settings, int Hosts)
{
    public static HostGroupDto From(HostGroup g, int hosts) => new(g.Id, g.Name, g.Description, g.Domain, g.Gateway, g.Dns, g.Profile, g.Console, g.Settings, hosts);
}

/// <summary>
/// Host groups under <c>/api/groups</c>: list, get by id or name, create, replace (PUT), change
/// (PATCH), delete. A change that does not fit a member host, a name taken, or deleting a group
/// that has hosts is 409 naming why; bad fields are 400 (see <see cref="ErrorHandlers"/>).
/// </summary>
public static class GroupEndpoints
{
    public static RouteGroupBuilder MapGroupApi(this RouteGroupBuilder api)
    {
        RouteGroupBuilder groups = api.MapGroup("/groups");
        groups.MapGet("/", List);
        groups.MapGet("/{key}", Get);
        groups.MapPost("/", Create);
        groups.MapPut("/{id:int}", (int id, HostGroupFields fields, HostGroupService service, CancellationToken ct) => Update(id, fields, partial: false, service, ct));
        groups.MapPatch("/{id:int}", (int id, HostGroupFields fields, HostGroupService service, CancellationToken ct) => Update(id, fields, partial: true, service, ct));
        groups.MapDelete("/{id:int}", Delete);
        return api;
    }

    internal static async Task<Ok<List<HostGroupDto>>> List(HostGroupService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(ct).ConfigureAwait(false)).Select(s => HostGroupDto.From(s.Group, s.Hosts)).ToList());

    internal static async Task<Results<Ok<HostGroupDto>, ProblemHttpResult>> Get(string key, HostGroupService service, CancellationToken ct)
    {
        if (await service.FindWithCountAsync(key, ct).ConfigureAwait(false) is not { } found)
        {
            return TypedResults.Problem($"no group with id or name '{key}'", statusCode: 404, title: "Not found");
        }
        return TypedResults.Ok(HostGroupDto.From(found.Group, found.Hosts));
    }

    internal static async Task<Created<HostGroupDto>> Create(HostGroupFields fields, HostGroupService service, CancellationToken ct)
    {
        HostGroup group = await service.CreateAsync(fields, ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/groups/{group.Id}", HostGroupDto.From(group, 0));
    }

    internal static async Task<Ok<HostGroupDto>> Update(int id, HostGroupFields fields, bool partial, HostGroupService service, CancellationToken ct)
    {
        HostGroup group = await service.UpdateAsync(id, fields, partial, ct).ConfigureAwait(false);
        HostGroupSummary? found = await service.FindWithCountAsync(group.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        return TypedResults.Ok(HostGroupDto.From(group, found?.Hosts ?? 0));
    }

    internal static async Task<NoContent> Delete(int id, HostGroupService service, CancellationToken ct)
    {
        await service.DeleteAsync(id, ct).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
