using System.Net;

namespace Provisioner.Core.Inventory.Import;

/// <summary>
/// Reads <c>ip2mac.txt</c> and CSV into <see cref="HostFields"/>, line by line; values a file does
/// not give (prefix, gateway, profile, ...) come from <c>defaults</c>. Field checks are the
/// validator's: here only the shape of each line is checked.
/// </summary>
public static class HostImportParser
{
    private static readonly string[] ExportOnlyColumns = ["id", "state"];

    /// <summary>
    /// A host's BMC, import only: an export never has them, since it would carry the password (a BMC
    /// given for a registered host with update keeps its stored password when <c>bmc.password</c> is empty).
    /// </summary>
    public static readonly string[] BmcColumns = ["bmc.type", "bmc.address", "bmc.user", "bmc.password", "bmc.certificateSha256", "bmc.acceptAnyCertificate", "bmc.uefiBoot"];

    /// <param name="text">The file's contents.</param>
    /// <param name="format">Which format it is in.</param>
    /// <param name="defaults">Fields for every line that does not set them.</param>
    /// <param name="defaultPrefix">Prefix length for addresses written without one (ip2mac files have none).</param>
    public static ParsedImport Parse(string text, HostImportFormat format, HostFields defaults, int? defaultPrefix) =>
        (format == HostImportFormat.Csv ? ParseCsv(text) : ParseIp2Mac(text)) with { Defaults = defaults, DefaultPrefix = defaultPrefix };

    private static ParsedImport ParseIp2Mac(string text)
    {
        var lines = new List<int>();
        var entries = new List<HostFields>();
        var errors = new List<FieldError>();
        string[] rows = text.Split('\n');
        for (int i = 0; i < rows.Length; i++)
        {
            string row = rows[i].Trim();
            int number = i + 1;
            if (row.Length == 0 || row.StartsWith('#'))
            {
                continue;
            }
            string[] fields = row.Split('|');
            if (fields.Length != 3)
            {
                errors.Add(new($"line {number}", $"expected ip|mac|hostname, found {fields.Length} field(s)"));
                continue;
            }
            // An optional header line before the first host: "ip|mac|hostname".
            if (entries.Count == 0 && errors.Count == 0 && fields[1].Trim().Equals("mac", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            lines.Add(number);
            entries.Add(new HostFields { Ip = fields[0].Trim(), Mac = fields[1].Trim(), Hostname = fields[2].Trim() });
        }
        return new ParsedImport(lines, entries, errors);
    }

    private static ParsedImport ParseCsv(string text)
    {
        var lines = new List<int>();
        var entries = new List<HostFields>();
        var bmcs = new List<Power.BmcSettings?>();
        var errors = new List<FieldError>();
        if (!Csv.TryRead(text, out List<Csv.Row> rows, out int badLine))
        {
            return new ParsedImport(lines, entries, [new($"line {badLine}", "a quoted field is never closed")]);
        }
        if (rows.Count == 0)
        {
            return new ParsedImport(lines, entries, [new("line 1", "empty file: expected a header row like mac,hostname,ip")]);
        }
        Csv.Row header = rows[0];
        string[] columns = header.Fields.Select(f => f.Trim()).ToArray();
        foreach (string unknown in columns.Where(c => !HostValidator.FieldNames.Contains(c, StringComparer.OrdinalIgnoreCase) && !ExportOnlyColumns.Contains(c, StringComparer.OrdinalIgnoreCase)
            && !BmcColumns.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new($"line {header.Line}", $"unknown column '{unknown}' (known: {string.Join(", ", HostValidator.FieldNames.Concat(BmcColumns))})"));
        }
        if (errors.Count > 0)
        {
            return new ParsedImport(lines, entries, errors);
        }
        foreach (Csv.Row row in rows.Skip(1))
        {
            if (row.Fields.Count != columns.Length)
            {
                errors.Add(new($"line {row.Line}", $"{row.Fields.Count} field(s) where the header has {columns.Length}"));
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < columns.Length; c++)
            {
                values[columns[c]] = Csv.Unneutralise(row.Fields[c].Trim());
            }
            if (!TryReadFlag(values, HostValidator.SettingsPrefix + "wipeDisks", out bool? wipeDisks, out string? flagError)
                || !TryReadFlag(values, "bmc.acceptAnyCertificate", out bool? acceptAny, out flagError)
                || !TryReadFlag(values, "bmc.uefiBoot", out bool? uefi, out flagError))
            {
                errors.Add(new($"line {row.Line}", flagError));
                continue;
            }
            lines.Add(row.Line);
            HostFields entry = FromColumns(values);
            entries.Add(entry with { Settings = entry.Settings! with { WipeDisks = wipeDisks } });
            bmcs.Add(BmcFromColumns(values, acceptAny, uefi));
        }
        return new ParsedImport(lines, entries, errors) { Bmcs = bmcs };
    }

    private static HostFields FromColumns(Dictionary<string, string> values)
    {
        string? Get(string name) => values.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;
        return new HostFields
        {
            Mac = Get("mac"),
            Hostname = Get("hostname"),
            Domain = Get("domain"),
            Ip = Get("ip"),
            Gateway = Get("gateway"),
            // Commas separate columns, so several DNS servers are separated by spaces or semicolons.
            Dns = Get("dns")?.Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Profile = Get("profile"),
            Console = Get("console"),
            KernelArgs = Get("kernelArgs"),
            Notes = Get("notes"),
            Appliance = Get("appliance"),
            Group = Get("group"),
            // One key per line within the (quoted) cell.
            SshKeys = Get("sshKeys")?.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            // Several packages are separated by spaces, as in the preseed.
            Settings = new InstallSettings
            {
                Mirror = Get("settings.mirror"), Proxy = Get("settings.proxy"), TimeZone = Get("settings.timeZone"), Locale = Get("settings.locale"),
                Keyboard = Get("settings.keyboard"), Disk = Get("settings.disk"), Packages = Get("settings.packages"),
            },
        };
    }

    /// <summary>The line's BMC, or null when its <c>bmc.*</c> cells are all empty.</summary>
    private static Power.BmcSettings? BmcFromColumns(Dictionary<string, string> values, bool? acceptAny, bool? uefi)
    {
        string? Get(string name) => values.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;
        var bmc = new Power.BmcSettings(Get("bmc.type"), Get("bmc.address"), Get("bmc.user"), Get("bmc.password"), Get("bmc.certificateSha256"), acceptAny, uefi);
        return bmc == new Power.BmcSettings() ? null : bmc;
    }

    /// <summary>A yes/no column: empty is unset; true/false, yes/no, 1/0.</summary>
    private static bool TryReadFlag(Dictionary<string, string> values, string column, out bool? flag, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        flag = null;
        error = null;
        if (!values.TryGetValue(column, out string? text) || text.Length == 0)
        {
            return true;
        }
        flag = text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => null,
        };
        if (flag is null)
        {
            error = $"{column}: '{text}' is not true or false (or empty for the site's default)";
            return false;
        }
        return true;
    }

    /// <summary><paramref name="ip"/> with <paramref name="prefix"/> appended when it has none (ip2mac files never do).</summary>
    public static string WithPrefix(string ip, int? prefix) =>
        ip.Contains('/', StringComparison.Ordinal) || prefix is null || !Ipv4Interface.TryParseAddress(ip, out _, out _) ? ip : $"{ip}/{prefix}";

    /// <summary>CSV with every host field, the format <see cref="Parse"/> reads back.</summary>
    public static string ToCsv(IEnumerable<HostRecord> hosts)
    {
        var text = new System.Text.StringBuilder();
        text.Append("id,").AppendJoin(',', HostValidator.FieldNames).Append(",state\n");
        foreach (HostRecord host in hosts)
        {
            HostFields f = HostFields.From(host);
            InstallSettings s = f.Settings ?? new();
            string?[] values = [host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Mac, f.Hostname, f.Domain, f.Ip, f.Gateway, string.Join(' ', f.Dns ?? []), f.Profile, f.Console, f.KernelArgs, f.Notes, f.Appliance, string.Join('\n', f.SshKeys ?? []), f.Group,
                s.Mirror, s.Proxy, s.TimeZone, s.Locale, s.Keyboard, s.Disk, s.Packages, s.WipeDisks is { } wipe ? (wipe ? "true" : "false") : null, host.State.Name()];
            text.AppendJoin(',', values.Select(v => Csv.Quote(Csv.Neutralise(v)))).Append('\n');
        }
        return text.ToString();
    }
}
