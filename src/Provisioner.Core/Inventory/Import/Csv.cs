using System.Buffers;
using System.Text;

namespace Provisioner.Core.Inventory.Import;

/// <summary>RFC 4180 CSV: comma-separated, fields quoted with <c>"</c> when they hold a comma, quote or line break.</summary>
public static class Csv
{
    /// <summary>A record and the 1-based line it starts on.</summary>
    public sealed record Row(int Line, IReadOnlyList<string> Fields);

    /// <summary>Splits <paramref name="text"/> into records; false with the line of an unterminated quote.</summary>
    public static bool TryRead(string text, out List<Row> rows, out int badLine)
    {
        rows = [];
        badLine = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int start = 1;
        bool quoted = false;
        bool any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    End(rows, fields, field, start, any);
                    any = false;
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (quoted)
        {
            badLine = start;
            return false;
        }
        End(rows, fields, field, start, any);
        return true;
    }

    private static void End(List<Row> rows, List<string> fields, StringBuilder field, int line, bool any)
    {
        if (any)
        {
            fields.Add(field.ToString());
            rows.Add(new Row(line, fields.ToArray()));
        }
        fields.Clear();
        field.Clear();
    }

    /// <summary>
    /// Characters that make a spreadsheet read a cell as a formula (=, +, -, @, and tab or CR before
    /// them). OWASP's CSV injection guidance: write such a cell with a leading apostrophe, which the
    /// spreadsheet shows as text; <see cref="Unneutralise"/> takes it off again on import.
    /// </summary>
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    /// <summary>A cell for a spreadsheet: a value that would start a formula gets a leading apostrophe.</summary>
    public static string Neutralise(string? value) =>
        value is { Length: > 0 } text && FormulaStarts.Contains(text[0]) ? "'" + text : value ?? string.Empty;

    /// <summary>The value <see cref="Neutralise"/> was given: one apostrophe before a formula character is dropped.</summary>
    public static string Unneutralise(string value) =>
        value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1]) ? value[1..] : value;

    public static string Quote(string? value)
    {
        string text = value ?? string.Empty;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
