namespace Provisioner.Core.Inventory.Import;

/// <summary>The formats hosts can be imported from.</summary>
public enum HostImportFormat
{
    /// <summary>The legacy <c>ip|mac|hostname</c> file, one host per line, optional header line.</summary>
    Ip2Mac,

    /// <summary>CSV with a header row naming the columns (the host JSON names: mac, hostname, ip, ...).</summary>
    Csv,
}

/// <summary>Parsed lines ready for validation, and the lines that could not even be split into fields.</summary>
public sealed record ParsedImport(IReadOnlyList<int> Lines, IReadOnlyList<HostFields> Entries, IReadOnlyList<FieldError> Errors)
{
    public static string Label(int line) => $"line {line}: ";
}
