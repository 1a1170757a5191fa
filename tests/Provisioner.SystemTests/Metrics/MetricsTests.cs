using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.Pxe.Tests.Support;
using Provisioner.Pxe.Tftp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Metrics;

/// <summary><c>/metrics</c> read by the Prometheus parser, before and after real transfers and a whole build.</summary>
[Trait("Category", "System")]
public sealed class MetricsTests : IAsyncLifetime
{
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync()
    {
        using HttpResponseMessage response = await _app.Anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return await PrometheusText.ParseAsync(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Transfers reach the counters through the event bus, a moment after the client has the file.</summary>
    private async Task<IReadOnlyList<PrometheusSample>> ScrapeUntilAsync(Func<IReadOnlyList<PrometheusSample>, bool> done)
    {
        IReadOnlyList<PrometheusSample> samples = [];
        for (int i = 0; i < 100; i++)
        {
            samples = await ScrapeAsync();
            if (done(samples))
            {
                return samples;
            }
            await Task.Delay(100);
        }
        return samples;
    }

    /// <summary>5,000 made-up methods once made a 432 MB scrape: no label may take a value a client chose.</summary>
    [Fact]
    public async Task Metrics_MadeUpMethodsAndPaths_FoldIntoOneSeries()
    {
        string before = await _app.Anonymous.GetStringAsync("/metrics");
        for (int i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod($"X{i:D4}"), $"/made-up/{i}");
            using HttpResponseMessage response = await _app.Anonymous.SendAsync(request);
            Assert.True((int)response.StatusCode is 404 or 405, $"X{i:D4} /made-up/{i} got {(int)response.StatusCode}");
        }

        string after = await _app.Anonymous.GetStringAsync("/metrics");
        IReadOnlyList<PrometheusSample> samples = await PrometheusText.ParseAsync(after);
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("method", out string? method) && method.StartsWith('X'));
        Assert.Contains(samples, s => s.Name == "http_requests_received_total" && s.Labels.GetValueOrDefault("method") == "OTHER" && s.Value >= 200);
        Assert.True(after.Length < before.Length + 16_384, $"the scrape grew from {before.Length} to {after.Length} bytes");
    }

    [Fact]
    public async Task Metrics_AfterTransfersAndABuild_CountersMoveByWhatHappened()
    {
        IReadOnlyList<PrometheusSample> before = await ScrapeAsync();
        Assert.Equal(0, before.Value("provisioner_transfers_total"));
        Assert.Equal(0, before.Value("provisioner_hosts", ("state", "pending")));
        Assert.Contains(before, s => s.Name == "process_working_set_bytes" && s.Value > 0);

        var fields = new Dictionary<string, object?>
        {
            ["mac"] = "52:54:00:aa:00:01", ["hostname"] = "metrics01", ["ip"] = "192.0.2.21/24", ["gateway"] = "192.0.2.1", ["profile"] = "debian12",
        };
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        IReadOnlyList<PrometheusSample> pending = await ScrapeAsync();
        Assert.Equal(1, pending.Value("provisioner_hosts", ("state", "pending")));
        Assert.Equal(0, pending.Value("provisioner_hosts", ("state", "idle")));

        ProcessResult config = await ProcessRunner.RunCheckedAsync("curl", "-sS", $"tftp://127.0.0.1:{_app.Tftp}/pxelinux.cfg/01-52-54-00-aa-00-01");
        await ProcessRunner.RunCheckedAsync("curl", "-sS", "--tftp-blksize", "1408", "-o", "/dev/null", $"tftp://127.0.0.1:{_app.Tftp}/debian12/linux");
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", "/dev/null", $"{_app.HttpBase}/boot/debian12/initrd.gz");
        // The config's transfer moves the host to booting through the event bus, a moment after curl has it;
        // the counters and the gauge of transfers under way are kept by two listeners on that bus.
        IReadOnlyList<PrometheusSample> moved = await ScrapeUntilAsync(s => s.Value("provisioner_transfers_total") >= 3
            && s.Value("provisioner_hosts", ("state", "booting")) >= 1 && s.Value("provisioner_transfers_active") == 0);

        (string, string) tftp = ("protocol", "tftp"), http = ("protocol", "http"), completed = ("result", "completed");
        Assert.Equal(1, moved.Value("provisioner_transfers_total", tftp, ("kind", "config"), completed));
        Assert.Equal(1, moved.Value("provisioner_transfers_total", tftp, ("kind", "kernel"), completed));
        Assert.Equal(300_000, moved.Value("provisioner_transfer_bytes_total", tftp, ("kind", "kernel")));
        Assert.Equal(1, moved.Value("provisioner_transfers_total", http, ("kind", "initrd"), completed));
        Assert.Equal(500_000, moved.Value("provisioner_transfer_bytes_total", http, ("kind", "initrd")));
        Assert.Equal(0, moved.Value("provisioner_transfers_total", ("result", "failed")));
        Assert.Equal(0, moved.Value("provisioner_transfers_active"));
        Assert.Equal(1, moved.Value("provisioner_hosts", ("state", "booting")));
        // The HTTP middleware counts by route pattern: the initrd's download under /boot/{**path}.
        Assert.Contains(moved, s => s.Name == "http_requests_received_total" && s.Labels["endpoint"].StartsWith("/boot/", StringComparison.Ordinal) && s.Value >= 1);

        string preseedUrl = config.StandardOutput.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];
        await ProcessRunner.RunCheckedAsync("busybox", "wget", "-q", "-O", "/dev/null", preseedUrl[..^"preseed".Length] + "finished");
        IReadOnlyList<PrometheusSample> installed = await ScrapeUntilAsync(s => s.Value("provisioner_build_duration_seconds_count") >= 1);
        Assert.Equal(1, installed.Value("provisioner_build_duration_seconds_count", ("result", "installed")));
        Assert.InRange(installed.Value("provisioner_build_duration_seconds_sum", ("result", "installed")), 0, 600);
        Assert.Equal(1, installed.Value("provisioner_hosts", ("state", "installed")));
        Assert.Equal(0, installed.Value("provisioner_alerts_total"));
        Assert.Equal(0, installed.Value("provisioner_capture_packets_total"));
    }

    [Fact]
    public async Task Metrics_ClientAbortsATransfer_CountedAsFailed()
    {
        // As firmware does that only wanted the size: the first block, then an ERROR of its own.
        using var client = new RawTftpClient(new IPEndPoint(IPAddress.Loopback, _app.Tftp));
        client.SendRequest("debian12/linux");
        Assert.Equal(1, client.ReceiveData().Block);
        byte[] error = new byte[64];
        Assert.True(TftpWire.TryWriteError(error, TftpErrorCode.NotDefined, "enough", out int written));
        client.SendRaw(error.AsSpan(0, written), client.TransferEndpoint!);

        IReadOnlyList<PrometheusSample> samples = await ScrapeUntilAsync(s => s.Value("provisioner_transfers_total", ("result", "failed")) >= 1);
        Assert.Equal(1, samples.Value("provisioner_transfers_total", ("protocol", "tftp"), ("kind", "kernel"), ("result", "failed")));
        Assert.Equal(0, samples.Value("provisioner_transfers_total", ("result", "completed")));
    }
}
