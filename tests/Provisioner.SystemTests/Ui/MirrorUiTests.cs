using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// The Mirror page and <c>provisioner mirror</c>, with the appliance on 127.0.0.1 and its one archive a
/// real HTTP server beside it (Python's <c>http.server</c> on 127.0.0.1, stopped by PID midway).
/// </summary>
[Trait("Category", "System")]
public sealed class MirrorUiTests : IAsyncLifetime
{
    private const string Deb = "pool/main/h/hello/hello_1_all.deb";
    private readonly TestFiles _files = new();
    private Process _archive = null!;
    private int _port;
    private string _config = null!;
    private InventoryAppliance _appliance = null!;
    private UiBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _files.Create("archive/debian/" + Deb, 100_000);
        _port = ApplianceProcess.FreePort(SocketType.Stream);
        _archive = ProcessRunner.Start("python3", ["-m", "http.server", $"{_port}", "--bind", "127.0.0.1", "--directory", Path.Join(_files.Root, "archive")], _files.Root, null, out _, out _);
        string config = _config = Path.Join(_files.Dir("config"), "mirror.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Mirror = new { Upstreams = new { debian = $"http://127.0.0.1:{_port}/debian" } } }));
        _appliance = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), extra: ["--config", config]);
        await NamespaceLab.WaitForAsync(async () => (await GetAsync("/mirror/debian/" + Deb)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the archive's first answer through the mirror");
        _browser = await UiBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        StopArchive();
        await _browser.DisposeAsync();
        await _appliance.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task MirrorPage_ShowsArchivesHitRatioMissesAndTheLastError_CliPurgesWhileItRuns()
    {
        byte[] expected = await File.ReadAllBytesAsync(Path.Join(_files.Root, "archive/debian", Deb));
        Assert.Equal(expected, await (await GetAsync("/mirror/debian/" + Deb)).Content.ReadAsByteArrayAsync());
        // Ranges of a cached file (RFC 9110 §14): a suffix, one past the end, and an If-Range that no longer holds.
        using (HttpResponseMessage suffix = await GetAsync("/mirror/debian/" + Deb, "bytes=-10"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
            Assert.Equal("bytes 99990-99999/100000", suffix.Content.Headers.ContentRange!.ToString());
            Assert.Equal(expected[^10..], await suffix.Content.ReadAsByteArrayAsync());
        }
        using (HttpResponseMessage beyond = await GetAsync("/mirror/debian/" + Deb, "bytes=100000-"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
            Assert.Equal("bytes */100000", beyond.Content.Headers.ContentRange!.ToString());
        }
        using (HttpResponseMessage stale = await GetAsync("/mirror/debian/" + Deb, "bytes=0-9", ifRange: DateTimeOffset.UnixEpoch))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Equal(expected.Length, (await stale.Content.ReadAsByteArrayAsync()).Length);
        }
        StopArchive();
        using HttpResponseMessage failed = await GetAsync("/mirror/debian/pool/main/o/other/other_1_all.deb");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        string reason = await failed.Content.ReadAsStringAsync();
        Assert.Contains("127.0.0.1 unreachable: Connection refused", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/mirror/debian/dists/..%2F..%2Fetc/passwd")).StatusCode);

        IPage page = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(page, "admin", File.ReadAllText(Path.Join(_appliance.DataDir, "initial-admin-password")).Trim());
        await page.ClickAsync("nav a:has-text('Mirror')");
        string archives = await page.InnerTextAsync("#mirror-archives");
        Assert.Contains($"{_appliance.HttpBase}/mirror/debian/", archives, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{_port}/debian/", archives, StringComparison.Ordinal);
        Assert.Contains("Mirror:Upstreams:debian", archives, StringComparison.Ordinal);
        Assert.Contains("1 files, 100.0 kB", archives, StringComparison.Ordinal);
        string figures = await page.InnerTextAsync("#mirror-figures");
        // The first request (waited for above) was fetched; the next ones were hits.
        Assert.Contains("80% (4 hits, 0 confirmed upstream, 0 stale, 1 fetched)", figures, StringComparison.Ordinal);
        // The whole file three times, and 10 bytes of it.
        Assert.Contains("served\t300.0 kB", figures.Replace('\n', '\t'), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 unreachable: Connection refused", await page.InnerTextAsync("#mirror-error"), StringComparison.Ordinal);
        string misses = await page.InnerTextAsync("#mirror-misses");
        Assert.Contains("debian/pool/main/o/other/other_1_all.deb\tfailed (502)", misses, StringComparison.Ordinal);
        Assert.Matches(@"debian/dists/\S+etc/passwd\trefused", misses);
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
        await UiBrowser.ScreenshotAsync(page, "mirror");

        ProcessResult status = await _appliance.CliAsync("mirror", "status", "--config", _config);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Matches($@"debian +http://127\.0\.0\.1:{_port}/debian/  \(Mirror:Upstreams:debian\)  1 files, 100000 bytes", status.StandardOutput);
        Assert.Equal("removed 0 files, 0 bytes, from " + Path.Join(_appliance.DataDir, "mirror") + "\n", (await _appliance.CliAsync("mirror", "purge", "--index-only")).StandardOutput);
        Assert.Equal(3, (await _appliance.CliAsync("mirror", "purge", "ubuntu")).ExitCode);
        Assert.StartsWith("removed 1 files, 100000 bytes", (await _appliance.CliAsync("mirror", "purge", "debian")).StandardOutput, StringComparison.Ordinal);
        // Both purges are in the audit trail, newest first, as the command line's.
        JsonElement[] audit = (await _appliance.Api.GetFromJsonAsync<JsonElement[]>("/api/audit?action=mirror"))!;
        Assert.Equal(["debian: 1 files, 100000 bytes", "all archives: 0 files, 0 bytes, index files only"],
            audit.Select(e => $"{e.GetProperty("target").GetString()}: {e.GetProperty("detail").GetString()}"));
        Assert.All(audit, e => Assert.Equal("cli", e.GetProperty("via").GetString()));
        // Purged under the running appliance, with the archive gone: a miss that says why, not a stale answer.
        Assert.Equal(HttpStatusCode.BadGateway, (await GetAsync("/mirror/debian/" + Deb)).StatusCode);
    }

    private Task<HttpResponseMessage> GetAsync(string path) => _appliance.Anonymous.GetAsync(path);

    private async Task<HttpResponseMessage> GetAsync(string path, string range, DateTimeOffset? ifRange = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Range", range);
        if (ifRange is { } since)
        {
            request.Headers.IfRange = new System.Net.Http.Headers.RangeConditionHeaderValue(since);
        }
        return await _appliance.Anonymous.SendAsync(request);
    }

    private void StopArchive()
    {
        if (!_archive.HasExited)
        {
            _archive.Kill();
            _archive.WaitForExit();
        }
    }
}
