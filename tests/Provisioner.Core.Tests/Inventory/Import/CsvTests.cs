using Provisioner.Core.Inventory.Import;

namespace Provisioner.Core.Tests.Inventory.Import;

public sealed class CsvTests
{
    [Fact]
    public void TryRead_QuotedFields_KeepCommasQuotesAndLineBreaks()
    {
        Assert.True(Csv.TryRead("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n", out List<Csv.Row> rows, out _));
        Assert.Equal(3, rows.Count);
        Assert.Equal(["x, y", "say \"hi\""], rows[1].Fields);
        Assert.Equal(["two\nlines", "z"], rows[2].Fields);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
    }

    [Fact]
    public void TryRead_RowAfterMultilineField_HasItsOwnLineNumber()
    {
        Assert.True(Csv.TryRead("h\n\"a\nb\"\nc\n", out List<Csv.Row> rows, out _));
        Assert.Equal([1, 2, 4], rows.Select(r => r.Line));
    }

    [Fact]
    public void TryRead_UnclosedQuote_GivesItsLine()
    {
        Assert.False(Csv.TryRead("h\nok\n\"never closed\n", out _, out int badLine));
        Assert.Equal(3, badLine);
    }

    [Fact]
    public void Quote_RoundTrips()
    {
        string[] values = ["plain", "with,comma", "with \"quote\"", "multi\nline", ""];
        Assert.True(Csv.TryRead(string.Join(',', values.Select(Csv.Quote)), out List<Csv.Row> rows, out _));
        Assert.Equal(values, Assert.Single(rows).Fields);
    }
}
