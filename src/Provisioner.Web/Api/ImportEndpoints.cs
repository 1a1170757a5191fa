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
/// <c>profile</c>, <c>console</c>). <c>GET /api/export</c> gives CSV.
/// </summary>
public static class ImportEndpoints
{
    public const int MaxImportBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/import", Import);
        api.MapGet("/export", Export);
        return api;
    }

    internal sealed record ImportResult(int Imported, IReadOnlyList<HostDto> Hosts);

    internal static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(HttpRequest request, HostService service, CancellationToken ct)
    {
        IQueryCollection q = request.Query;
        string formatText = q["format"].FirstOrDefault() ?? "ip2mac";
        if (!Enum.TryParse(formatText, ignoreCase: true, out HostImportFormat format) || int.TryParse(formatText, out _))
        {
            return TypedResults.Problem($"format '{formatText}' is not ip2mac or csv", statusCode: 400, title: "Invalid import");
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
        IReadOnlyList<HostRecord> hosts = await service.ImportAsync(HostImportParser.Parse(text, format, defaults, prefix), ct).ConfigureAwait(false);
        return TypedResults.Ok(new ImportResult(hosts.Count, hosts.Select(HostDto.From).ToList()));
    }

    internal static async Task<ContentHttpResult> Export(HostService service, CancellationToken ct) =>
        TypedResults.Text(HostImportParser.ToCsv(await service.ListAsync(new HostQuery(), ct).ConfigureAwait(false)), "text/csv; charset=utf-8");
}
