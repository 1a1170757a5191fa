using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Power;

namespace Provisioner.Web.Api;

/// <summary>
/// Hosts' BMCs and power: <c>/api/hosts/{id}/bmc</c> (GET, PUT, DELETE; the password is written, never
/// read back), <c>/api/hosts/{id}/power</c> (GET reads the BMC now; POST <c>{"action":"on|off|cycle|pxe"}</c>),
/// <c>/api/hosts/{id}/build-and-power-cycle</c>, and for many hosts <c>/api/power</c> (GET the last readings;
/// POST <c>{"hosts":[ids],"action":…}</c>). A BMC that refuses or does not answer is a 502 with its reason.
/// </summary>
public static class PowerEndpoints
{
    public static RouteGroupBuilder MapPowerApi(this RouteGroupBuilder api)
    {
        // 400: refused input or no BMC; 404: no such host (or BMC); 502: the BMC refused or did not answer (its reason in "detail").
        api.MapGet("/hosts/{id:int}/bmc", GetBmc).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/hosts/{id:int}/bmc", SetBmc).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/hosts/{id:int}/bmc", RemoveBmc).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/hosts/{id:int}/power", Status).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapPost("/hosts/{id:int}/power", Act).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapPost("/hosts/{id:int}/build-and-power-cycle", BuildAndCycle).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/power", Readings);
        api.MapPost("/power", Bulk).ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>A power action asked for: <c>on</c>, <c>off</c>, <c>cycle</c> or <c>pxe</c> (network boot once, then cycle).</summary>
    public sealed record PowerRequest(string? Action);

    /// <summary>The same action for many hosts.</summary>
    public sealed record BulkPowerRequest(IReadOnlyList<int>? Hosts, string? Action);

    /// <summary>How an action ended for one host.</summary>
    public sealed record PowerResultDto(int HostId, string Action, bool Done, string Message, string? State);

    /// <summary>A host's last power reading: <c>on</c>, <c>off</c> or <c>unknown</c> with the reason.</summary>
    public sealed record PowerReadingDto(int HostId, string State, string? Error, DateTimeOffset At)
    {
        public static PowerReadingDto Of(int hostId, PowerReading reading) => new(hostId, reading.Text, reading.Error, reading.At);
    }

    private static async Task<Results<Ok<BmcInfo>, ProblemHttpResult>> GetBmc(int id, BmcService bmcs, CancellationToken ct) =>
        await bmcs.GetAsync(id, ct).ConfigureAwait(false) is { } bmc
            ? TypedResults.Ok(bmc)
            : TypedResults.Problem($"host {id} has no BMC (or there is no such host)", statusCode: 404, title: "Not found");

    private static async Task<Ok<BmcInfo>> SetBmc(int id, BmcSettings settings, BmcService bmcs, CancellationToken ct) =>
        TypedResults.Ok(await bmcs.SetAsync(id, settings, ct).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveBmc(int id, BmcService bmcs, PowerReadings readings, CancellationToken ct)
    {
        if (!await bmcs.RemoveAsync(id, ct).ConfigureAwait(false))
        {
            return TypedResults.Problem($"host {id} has no BMC", statusCode: 404, title: "Not found");
        }
        readings.Forget(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PowerReadingDto>, ProblemHttpResult>> Status(int id, PowerControl control, CancellationToken ct)
    {
        PowerReading reading = await control.StatusAsync(id, ct).ConfigureAwait(false);
        return reading.Error is null
            ? TypedResults.Ok(PowerReadingDto.Of(id, reading))
            : TypedResults.Problem(reading.Error, statusCode: 502, title: "The BMC did not give the power state");
    }

    private static async Task<Results<Ok<PowerResultDto>, ProblemHttpResult>> Act(int id, PowerRequest request, PowerControl control, CancellationToken ct)
    {
        if (!PowerActions.TryParse(request.Action, out PowerAction action))
        {
            return TypedResults.Problem($"action '{request.Action}' is not one of: on, off, cycle, pxe", statusCode: 400, title: "Invalid action");
        }
        return Answer(id, await control.RunAsync(id, action, ct).ConfigureAwait(false));
    }

    /// <summary>A build, then the BMC boots the host from the network once and cycles it: the build starts now.</summary>
    private static async Task<Results<Ok<PowerResultDto>, ProblemHttpResult>> BuildAndCycle(int id, BuildTracker tracker, PowerControl control, BmcService bmcs, CancellationToken ct)
    {
        // No BMC: nothing is requested (a build nobody starts would wait for a button press).
        if (await bmcs.GetAsync(id, ct).ConfigureAwait(false) is null)
        {
            return TypedResults.Problem($"host {id} has no BMC (or there is no such host): set one with PUT /api/hosts/{id}/bmc; no build was requested", statusCode: 400, title: "No BMC");
        }
        await tracker.RequestBuildAsync(id, EventSources.Api, ct).ConfigureAwait(false);
        return Answer(id, await control.RunAsync(id, PowerAction.PxeCycle, ct).ConfigureAwait(false));
    }

    private static Ok<PowerReadingDto[]> Readings(PowerReadings readings) =>
        TypedResults.Ok(readings.All().Select(r => PowerReadingDto.Of(r.HostId, r.Reading)).ToArray());

    /// <summary>Every host's action at once (<see cref="PowerControl.RunManyAsync"/>): one slow BMC delays none of the others; a result per host, in the order given.</summary>
    private static async Task<Results<Ok<PowerResultDto[]>, ProblemHttpResult>> Bulk(BulkPowerRequest request, PowerControl control, CancellationToken ct)
    {
        if (!PowerActions.TryParse(request.Action, out PowerAction action))
        {
            return TypedResults.Problem($"action '{request.Action}' is not one of: on, off, cycle, pxe", statusCode: 400, title: "Invalid action");
        }
        int[] ids = [.. (request.Hosts ?? []).Distinct()];
        if (ids.Length == 0)
        {
            return TypedResults.Problem("give the hosts' ids: {\"hosts\":[1,2],\"action\":\"cycle\"}", statusCode: 400, title: "No hosts");
        }
        PowerResult[] results = await control.RunManyAsync(ids, action, ct).ConfigureAwait(false);
        return TypedResults.Ok(ids.Zip(results, Dto).ToArray());
    }

    private static Results<Ok<PowerResultDto>, ProblemHttpResult> Answer(int id, PowerResult result) =>
        result.Done ? TypedResults.Ok(Dto(id, result)) : TypedResults.Problem(result.Message, statusCode: 502, title: $"Power {result.Action.Name()} failed");

    private static PowerResultDto Dto(int id, PowerResult result) =>
        new(id, result.Action.Name(), result.Done, result.Message, result.State is { } state ? new PowerReading(state, null, default).Text : null);
}
