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

    public static string Quote(string? value)
    {
        string text = value ?? string.Empty;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
