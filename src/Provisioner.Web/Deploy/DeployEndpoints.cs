using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Builds;
using Provisioner.Core.Deploy;
using Provisioner.Web.Boot;

namespace Provisioner.Web.Deploy;

/// <summary>
/// What a deploying host's agent uses, under its build's token: <c>/build/{token}/agent</c> (the agent
/// script), <c>plan</c> (JSON), <c>nocloud/{meta-data|user-data|network-config}</c> (cloud-init's seed)
/// and <c>step</c> (GET or POST, <c>step</c> and <c>percent</c>: the step it starts). A 404 for any of
/// them means the build is over (cancelled, or replaced by a new one): the agent stops there. The
/// agent ends with the installers' <c>finished</c> or <c>failed</c> callbacks (<see cref="CallbackEndpoints"/>).
/// </summary>
public static class DeployEndpoints
{
    public static IEndpointRouteBuilder MapDeploys(this IEndpointRouteBuilder app)
    {
        app.MapGet("/build/{token}/agent", Agent);
        app.MapGet("/build/{token}/plan", Plan);
        app.MapGet("/build/{token}/nocloud/{file}", NoCloud);
        app.MapMethods("/build/{token}/step", [HttpMethods.Get, HttpMethods.Post], Step);
        return app;
    }

    internal static async Task<ContentHttpResult> Agent(string token, Deployments deployments, CancellationToken cancellationToken) =>
        Answer(await deployments.AgentAsync(token, cancellationToken).ConfigureAwait(false));

    internal static async Task<IResult> Plan(string token, HttpContext context, Deployments deployments, CancellationToken cancellationToken)
    {
        DeployAnswer answer = await deployments.PlanAsync(token, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false);
        return answer.Text is { } json ? TypedResults.Text(json, "application/json; charset=utf-8") : PlainText.NotFound(answer.Reason + "\n");
    }

    internal static async Task<ContentHttpResult> NoCloud(string token, string file, string? @interface, HttpContext context, Deployments deployments, CancellationToken cancellationToken) =>
        Answer(await deployments.NoCloudAsync(token, file, @interface, RequestClient.BaseUrl(context), cancellationToken).ConfigureAwait(false));

    internal static async Task<ContentHttpResult> Step(string token, HttpContext context, BuildTracker tracker, CancellationToken cancellationToken)
    {
        if (await tracker.HostWithTokenAsync(token, cancellationToken).ConfigureAwait(false) is not { } hostId)
        {
            return CallbackEndpoints.NoBuild;
        }
        (bool read, string? step) = await CallbackEndpoints.ReadFieldAsync(context, "step", cancellationToken).ConfigureAwait(false);
        (bool readPercent, string? percentText) = read ? await CallbackEndpoints.ReadFieldAsync(context, "percent", cancellationToken).ConfigureAwait(false) : (false, null);
        if (!read || !readPercent)
        {
            return PlainText.TooLarge($"a step body is at most {CallbackEndpoints.MaxBodyBytes} bytes\n");
        }
        if (string.IsNullOrWhiteSpace(step) || !int.TryParse(percentText, NumberStyles.None, CultureInfo.InvariantCulture, out int percent) || percent > 100)
        {
            return TypedResults.Text("a step needs step=<what starts> and percent=<0-100>\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        return await tracker.DeployStepAsync(hostId, step, percent, cancellationToken).ConfigureAwait(false)
            ? PlainText.Ok("ok\n")
            : CallbackEndpoints.NoBuild;
    }

    private static ContentHttpResult Answer(DeployAnswer answer) =>
        answer.Text is { } text ? PlainText.Ok(text) : PlainText.NotFound(answer.Reason + "\n");
}
