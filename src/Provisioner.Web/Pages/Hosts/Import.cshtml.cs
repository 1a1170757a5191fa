using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Core.Templates;
using Provisioner.Web.Api;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>
/// Imports an <c>ip2mac.txt</c> or CSV file, all or nothing: every bad line is listed (line number
/// and field) and nothing is saved until the whole file is good.
/// </summary>
[RequestSizeLimit(ImportEndpoints.MaxImportBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportEndpoints.MaxImportBytes)]
public sealed class ImportModel(HostService hosts, IProfileCatalog templates) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string Format { get; set; } = "auto";

    [BindProperty]
    public int? Prefix { get; set; } = 24;

    [BindProperty]
    public string? Gateway { get; set; }

    [BindProperty]
    public string? Dns { get; set; }

    [BindProperty]
    public string? Domain { get; set; }

    [BindProperty]
    public string? Profile { get; set; }

    [BindProperty]
    public string? Console { get; set; }

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>A line whose MAC is registered changes that host instead of being refused.</summary>
    [BindProperty]
    public bool Update { get; set; }

    /// <summary>What the import did, once it was made.</summary>
    public ImportResult? Result { get; private set; }

    public IReadOnlyList<string> Profiles => templates.List();

    public void OnGet() => Profile ??= Profiles.Count > 0 ? Profiles[0] : null;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Errors = [new FieldError("file", "choose a file to import")];
            return Page();
        }
        string text;
        using (var reader = new StreamReader(Upload.OpenReadStream()))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        var defaults = new HostFields
        {
            Gateway = Blank(Gateway),
            Dns = Blank(Dns)?.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries),
            Domain = Blank(Domain),
            Profile = Blank(Profile),
            Console = Blank(Console),
        };
        try
        {
            Result = await hosts.ImportAsync(HostImportParser.Parse(text, ChosenFormat(), defaults, Prefix), Update, cancellationToken);
        }
        catch (InventoryException refused)
        {
            Errors = refused.Errors;
        }
        return Page();
    }

    /// <summary>"auto": CSV for a <c>.csv</c> file, else the legacy pipe format.</summary>
    private HostImportFormat ChosenFormat() => Format switch
    {
        "csv" => HostImportFormat.Csv,
        "ip2mac" => HostImportFormat.Ip2Mac,
        _ => Upload!.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? HostImportFormat.Csv : HostImportFormat.Ip2Mac,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
