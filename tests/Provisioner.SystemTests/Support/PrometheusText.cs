using System.Text.Json;

namespace Provisioner.SystemTests.Support;

/// <summary>One sample of a scrape: a series name, its labels and its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A scrape read by the Prometheus project's own text-format parser (Debian's
/// python3-prometheus-client, installed by test.sh), not by ours: a malformed line fails the test.
/// </summary>
internal static class PrometheusText
{
    private const string Parser = """
        import json, math, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            for s in family.samples:
                out.append([s.name, s.labels, s.value if math.isfinite(s.value) else str(s.value)])
        print(json.dumps(out))
        """;

    public static async Task<IReadOnlyList<PrometheusSample>> ParseAsync(string text)
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, text);
            // Debian's interpreter: the package is in its dist-packages, not in another python3 on PATH.
            ProcessResult parsed = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", Parser, file], TimeSpan.FromMinutes(1));
            Assert.True(parsed.ExitCode == 0, $"the Prometheus parser refused the scrape: {parsed.StandardError}");
            using JsonDocument json = JsonDocument.Parse(parsed.StandardOutput);
            return json.RootElement.EnumerateArray()
                .Select(s => new PrometheusSample(
                    s[0].GetString()!,
                    s[1].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                    s[2].ValueKind == JsonValueKind.Number ? s[2].GetDouble() : NonFinite(s[2].GetString()!)))
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double NonFinite(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.NaN,
    };

    /// <summary>The value of the one sample named <paramref name="name"/> with these labels (others may be present); 0 when there is none.</summary>
    public static double Value(this IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).Sum(s => s.Value);
}
