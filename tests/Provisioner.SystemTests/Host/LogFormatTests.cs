using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>serve --log-format json</c>: one JSON object a line, each build step carrying the machine's <c>mac</c>, <c>host</c> and <c>peer</c> scopes.</summary>
[Trait("Category", "System")]
public sealed class LogFormatTests : IAsyncLifetime
{
    private const string Mac = "52:54:00:aa:00:31";
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), extra: ["--log-format", "json"]);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The log so far, every line parsed; a line that is not a JSON object fails the test.</summary>
    private List<JsonElement> Lines() =>
        _app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                try
                {
                    return JsonDocument.Parse(line).RootElement.Clone();
                }
                catch (JsonException)
                {
                    Assert.Fail($"not a JSON log line: {line}");
                    throw;
                }
            })
            .ToList();

    private static Dictionary<string, string> Scopes(JsonElement line) =>
        line.TryGetProperty("Scopes", out JsonElement scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).SelectMany(s => s.EnumerateObject())
                .Where(p => p.Name is "mac" or "host" or "peer").GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value.GetString()!)
            : [];

    private async Task<JsonElement> StepAsync(string state)
    {
        for (int i = 0; i < 100; i++)
        {
            JsonElement? line = Lines().Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("Category").GetString() == "Provisioner.Core.Builds.TimelineWriter"
                && l.Value.GetProperty("State").GetProperty("State").GetString() == state);
            if (line is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no build step line for state {state} in:\n{_app.Output}");
    }

    [Fact]
    public async Task JsonLog_ABuild_EachStepLineCarriesMacHostAndPeer_TftpLinesThePeer()
    {
        var fields = new Dictionary<string, object?> { ["mac"] = Mac, ["hostname"] = "log01", ["ip"] = "192.0.2.31/24", ["gateway"] = "192.0.2.1", ["profile"] = "debian12" };
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>();
        (await _app.Api.PostAsync($"/api/hosts/{host.GetProperty("id").GetInt32()}/build", null)).EnsureSuccessStatusCode();
        ProcessResult config = await ProcessRunner.RunCheckedAsync("curl", "-sS", $"tftp://127.0.0.1:{_app.Tftp}/pxelinux.cfg/01-52-54-00-aa-00-31");
        string preseed = config.StandardOutput.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];
        // Transfers and the preseed are recorded through the event bus once they went out; each step is awaited
        // before the next request, as a real machine's kernel and initrd transfers leave time for.
        var fromTheMachine = new Dictionary<string, string> { ["mac"] = Mac, ["host"] = "log01", ["peer"] = "127.0.0.1" };
        Assert.Equal(fromTheMachine, Scopes(await StepAsync("booting")));
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", "/dev/null", preseed);
        Assert.Equal(fromTheMachine, Scopes(await StepAsync("installing")));
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", "/dev/null", preseed[..^"preseed".Length] + "finished");

        Assert.Equal(new Dictionary<string, string> { ["mac"] = Mac, ["host"] = "log01" }, Scopes(await StepAsync("pending")));
        JsonElement installed = await StepAsync("installed");
        Assert.Equal(Mac, Scopes(installed)["mac"]);
        Assert.Equal("log01", Scopes(installed)["host"]);
        Assert.Contains("Build of log01: installed", installed.GetProperty("Message").GetString(), StringComparison.Ordinal);

        JsonElement sent = Lines().First(l => l.GetProperty("Category").GetString() == "Provisioner.Pxe.Tftp.TftpServer"
            && l.GetProperty("Message").GetString()!.Contains("pxelinux.cfg/01-52-54-00-aa-00-31: sent", StringComparison.Ordinal));
        Assert.Equal("127.0.0.1", Scopes(sent)["peer"]);
        Assert.Equal("Information", sent.GetProperty("LogLevel").GetString());
        Assert.EndsWith("Z", sent.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
    }
}
