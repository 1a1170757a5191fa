using System.CommandLine;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner hosts import|export</c>: ip2mac.txt and CSV in, CSV out (the format import reads back).</summary>
internal static class HostsImportCommand
{
    public static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "ip2mac.txt (ip|mac|hostname) or a CSV with a header row" };
        var format = new Option<string>("--format") { Description = "ip2mac or csv. Default: csv for *.csv, else ip2mac" };
        var prefix = new Option<int?>("--prefix") { Description = "Prefix length for addresses written without one" };
        Option<string> gateway = HostFieldOptions.Field("--gateway", "Gateway for lines without one");
        var dns = new Option<string[]>("--dns") { Description = "DNS server for lines without one (repeatable)", AllowMultipleArgumentsPerToken = true };
        Option<string> domain = HostFieldOptions.Field("--domain", "Domain for lines without one");
        Option<string> profile = HostFieldOptions.Field("--profile", "Profile for lines without one");
        Option<string> console = HostFieldOptions.Field("--console", "Serial console for lines without one");
        var update = new Option<bool>("--update")
        {
            Description = "A line whose MAC is already registered changes that host (the fields the line gives; an empty CSV cell leaves one as it is) instead of being refused",
        };
        var import = new Command("import", "Add every host of a file, or none: all bad lines are listed.") { file, format, prefix, gateway, dns, domain, profile, console, update };
        import.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            FileInfo path = parse.GetValue(file)!;
            string formatText = parse.GetValue(format) ?? (path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "ip2mac");
            if (!Enum.TryParse(formatText, ignoreCase: true, out HostImportFormat parsedFormat) || int.TryParse(formatText, out _))
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, $"--format '{formatText}' is not ip2mac or csv").ConfigureAwait(false);
            }
            if (!path.Exists)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.NoInput, $"cannot read {path.FullName}: no such file").ConfigureAwait(false);
            }
            string text = await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false);
            var defaults = new HostFields
            {
                Gateway = parse.GetValue(gateway), Dns = parse.GetValue(dns), Domain = parse.GetValue(domain),
                Profile = parse.GetValue(profile), Console = parse.GetValue(console),
            };
            ParsedImport parsed = HostImportParser.Parse(text, parsedFormat, defaults, parse.GetValue(prefix));
            ImportResult result = await services.GetRequiredService<HostService>().ImportAsync(parsed, parse.GetValue(update), ct).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(update)
                ? $"imported {path.Name}: {result.Added.Count} host(s) added, {result.Updated.Count} updated"
                : $"imported {result.Added.Count} host(s) from {path.Name}");
            return 0;
        }, ct));
        return import;
    }

    public static Command Export()
    {
        var file = new Argument<string?>("file") { Description = "Where to write the CSV. Default: standard output", Arity = ArgumentArity.ZeroOrOne };
        var export = new Command("export", "Write every host as CSV (the format import reads).") { file };
        export.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string csv = HostImportParser.ToCsv(await services.GetRequiredService<HostService>().ListAsync(new HostQuery(), ct).ConfigureAwait(false));
            if (parse.GetValue(file) is { } path)
            {
                await File.WriteAllTextAsync(path, csv, ct).ConfigureAwait(false);
            }
            else
            {
                Console.Write(csv);
            }
            return 0;
        }, ct));
        return export;
    }
}
