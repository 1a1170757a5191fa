namespace Provisioner.Core.Inventory.Import;

/// <summary>The formats hosts can be imported from.</summary>
public enum HostImportFormat
{
    /// <summary>The legacy <c>ip|mac|hostname</c> file, one host per line, optional header line.</summary>
    Ip2Mac,

    /// <summary>CSV with a header row naming the columns (the host JSON names: mac, hostname, ip, ...).</summary>
    Csv,
}

/// <summary>
/// Parsed lines ready for validation, and the lines that could not even be split into fields.
/// <see cref="Given"/> is what each line says; <see cref="Entries"/> adds the import's defaults (fields
/// and prefix length) for what a line leaves out: a new host gets those, a host an update changes only
/// what its line says.
/// </summary>
public sealed record ParsedImport(IReadOnlyList<int> Lines, IReadOnlyList<HostFields> Given, IReadOnlyList<FieldError> Errors)
{
    public HostFields Defaults { get; init; } = new();

    public int? DefaultPrefix { get; init; }

    /// <summary>Each line's BMC (CSV <c>bmc.*</c> columns), by the same index as <see cref="Given"/>; null where a line gives none.</summary>
    public IReadOnlyList<Power.BmcSettings?> Bmcs { get; init; } = [];

    public Power.BmcSettings? BmcOf(int index) => index < Bmcs.Count ? Bmcs[index] : null;

    public IReadOnlyList<HostFields> Entries => [.. Given.Select(WithDefaults)];

    public HostFields WithDefaults(HostFields given) =>
        (given with { Ip = given.Ip is { } ip ? HostImportParser.WithPrefix(ip, DefaultPrefix) : null }).Over(Defaults);

    public static string Label(int line) => $"line {line}: ";
}

/// <summary>What an import did: the hosts it added and, with update, the registered hosts it changed.</summary>
public sealed record ImportResult(IReadOnlyList<HostRecord> Added, IReadOnlyList<HostRecord> Updated);
