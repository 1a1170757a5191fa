using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;

namespace Provisioner.Web.Api;

/// <summary>
/// <c>POST /api/import?format=ip2mac|csv</c> with the file as the body; fields a file does not
/// carry come from the query (<c>prefix</c>, <c>gateway</c>, <c>dns</c>, <c>domain</c>,
/// <c>profile</c>, <c>console</c>); <c>update=true</c> changes the registered hosts a line names by
/// MAC instead of refusing them. <c>GET /api/export</c> gives CSV.
/// </summary>
public static class ImportEndpoints
{
    public const int MaxImportBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/import", Import).Accepts<string>("text/plain", "text/csv");
        api.MapGet("/export", Export).Produces<string>(StatusCodes.Status200OK, "text/csv");
        return api;
    }

    /// <summary><c>imported</c>: hosts added; <c>updated</c>: registered hosts changed (update=true); <c>hosts</c>: both, as saved.</summary>
    internal sealed record ImportAnswer(int Imported, int Updated, IReadOnlyList<HostDto> Hosts);

    internal static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> Import(HttpRequest request, HostService service, CancellationToken ct)
    {
        IQueryCollection q = request.Query;
        string formatText = q["format"].FirstOrDefault() ?? "ip2mac";
        if (!Enum.TryParse(formatText, ignoreCase: true, out HostImportFormat format) || int.TryParse(formatText, out _))
        {
            return TypedResults.Problem($"format '{formatText}' is not ip2mac or csv", statusCode: 400, title: "Invalid import");
        }
        bool update = false;
        if (q["update"].FirstOrDefault() is { } updateText && !bool.TryParse(updateText, out update))
        {
            return TypedResults.Problem($"update '{updateText}' is not true or false", statusCode: 400, title: "Invalid import");
        }
        int? prefix = null;
        if (q["prefix"].FirstOrDefault() is { } prefixText)
        {
            if (!int.TryParse(prefixText, out int parsed) || parsed is < 1 or > 32)
            {
                return TypedResults.Problem($"prefix '{prefixText}' is not a prefix length between 1 and 32", statusCode: 400, title: "Invalid import");
            }
            prefix = parsed;
        }
        if (request.ContentLength > MaxImportBytes)
        {
            return TypedResults.Problem($"import is over {MaxImportBytes} bytes", statusCode: 413, title: "Too large");
        }
        // Content-Length is only what the client says: a chunked body has none. The bytes actually
        // read are bounded too (a 20 MB chunked body was read whole); past it the read throws 413.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxImportBytes;
        }
        using var reader = new StreamReader(request.Body);
        string text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var defaults = new HostFields
        {
            Gateway = q["gateway"].FirstOrDefault(),
            Dns = q["dns"].FirstOrDefault()?.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries),
            Domain = q["domain"].FirstOrDefault(),
            Profile = q["profile"].FirstOrDefault(),
            Console = q["console"].FirstOrDefault(),
        };
        ImportResult result = await service.ImportAsync(HostImportParser.Parse(text, format, defaults, prefix), update, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ImportAnswer(result.Added.Count, result.Updated.Count, result.Added.Concat(result.Updated).Select(HostDto.From).ToList()));
    }

    internal static async Task<ContentHttpResult> Export(HostService service, CancellationToken ct) =>
        TypedResults.Text(HostImportParser.ToCsv(await service.ListAsync(new HostQuery(), ct).ConfigureAwait(false)), "text/csv; charset=utf-8");
}
