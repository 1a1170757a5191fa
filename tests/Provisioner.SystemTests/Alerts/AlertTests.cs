using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Alerts;

/// <summary>
/// Alerts from the real appliance to a webhook receiver this test runs on 127.0.0.1, to a second
/// webhook that never answers, and to a shell command: one build stalls (watchdog), one fails
/// (installer callback); both show on the dashboard.
/// </summary>
[Trait("Category", "System")]
public sealed class AlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TestFiles _files = new();
    private WebhookReceiver _receiver = null!;
    private InventoryAppliance _appliance = null!;
    private string _receiverBase = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _receiverBase = _receiver.Base!;

        string config = Path.Join(_files.Root, "alerts.json");
        string alertsDir = _files.Dir("command-alerts");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Alerts = new
            {
                Webhooks = new[] { $"{_receiverBase}/hook", $"{_receiverBase}/silent" },
                Command = $"cat > {alertsDir}/alert-$$.json",
                Attempts = 3,
                Timeout = "00:00:01",
                FirstRetryDelay = "00:00:00.200",
            },
            Builds = new { StallTimeout = "00:00:03" },
        }));
        _appliance = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), extra: ["--config", config]);
    }

    public async Task DisposeAsync()
    {
        await _appliance.DisposeAsync();
        await _receiver.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task StalledAndFailedBuilds_AlertWebhookAndCommand_SilentWebhookRetriedThenGivenUp_DashboardShowsThem()
    {
        int stalled = await BootingHostAsync("stall01", "52:54:00:bb:00:01", "192.0.2.31/24");
        int failed = await BootingHostAsync("fail01", "52:54:00:bb:00:02", "192.0.2.32/24");
        string token = BuildToken(await File.ReadAllTextAsync(Path.Join(_files.Root, "fail01.cfg")));
        // fail01 booted last from 127.0.0.1, so the installer log lines from there are its.
        using (var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            await syslog.SendAsync(Encoding.UTF8.GetBytes("<11>Nov 25 02:00:00 partman: no disk found"), new IPEndPoint(IPAddress.Loopback, _appliance.Syslog));
        }
        await NamespaceLab.WaitForAsync(async () => (await _appliance.Api.GetStringAsync($"/api/hosts/{failed}/log")).Contains("no disk found", StringComparison.Ordinal), Limit, "the log line");
        using (HttpResponseMessage callback = await _appliance.Anonymous.PostAsync(new Uri($"/build/{token}/failed?message=disk%20sdb%20missing", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        }

        JsonElement failure = await AlertAsync("build.failed");
        Assert.Equal("fail01", failure.GetProperty("host").GetProperty("hostname").GetString());
        Assert.Equal("failed", failure.GetProperty("state").GetString());
        Assert.Equal("disk sdb missing", failure.GetProperty("reason").GetString());
        Assert.Equal(["partman: no disk found"], failure.GetProperty("lastLogLines").EnumerateArray().Select(l => l.GetString()));
        JsonElement stall = await AlertAsync("build.stalled");
        Assert.Equal(stalled, stall.GetProperty("host").GetProperty("id").GetInt32());
        Assert.Equal("stalled: no progress for 3 seconds while booting", stall.GetProperty("reason").GetString());

        // The silent webhook: three tries of a second each, then given up and logged; the good one was not held up.
        await NamespaceLab.WaitForAsync(() => Task.FromResult(_appliance.Output.Contains($"Webhook {_receiverBase}/silent given up for alert build.failed for fail01 after 3 tries: no answer within 1 s", StringComparison.Ordinal)), Limit, "the silent webhook given up");
        Assert.Contains($"Webhook {_receiverBase}/silent try 2 failed", _appliance.Output, StringComparison.Ordinal);
        string[] commandAlerts = Directory.GetFiles(_files.Dir("command-alerts"));
        Assert.Equal(2, commandAlerts.Length);
        Assert.Equal(["build.failed", "build.stalled"], commandAlerts.Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("event").GetString()).Order(StringComparer.Ordinal));

        await using UiBrowser browser = await UiBrowser.LaunchAsync();
        IPage page = await browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(page, "admin", (await File.ReadAllTextAsync(Path.Join(_appliance.DataDir, "initial-admin-password"))).Trim());
        string alerts = await page.InnerTextAsync("#alerts");
        Assert.Contains("build.failed", alerts, StringComparison.Ordinal);
        Assert.Contains("disk sdb missing", alerts, StringComparison.Ordinal);
        Assert.Contains("build.stalled", alerts, StringComparison.Ordinal);
        Assert.Contains($"not sent to {_receiverBase}/silent (3 tries: no answer within 1 s)", alerts, StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "alerts-dashboard");
    }

    /// <summary>A host in build mode whose boot config was fetched over TFTP from 127.0.0.1 (saved as NAME.cfg): it is booting.</summary>
    private async Task<int> BootingHostAsync(string hostname, string mac, string ip)
    {
        using HttpResponseMessage created = await _appliance.Api.PostAsJsonAsync("/api/hosts", new { mac, hostname, ip, profile = "debian12" });
        int id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await _appliance.Api.PostAsync(new Uri($"/api/hosts/{id}/build", UriKind.Relative), null)).EnsureSuccessStatusCode();
        string config = Path.Join(_files.Root, hostname + ".cfg");
        ProcessResult tftp = await ProcessRunner.RunAsync("curl", ["-sS", "-o", config, $"tftp://127.0.0.1:{_appliance.Tftp}/pxelinux.cfg/01-{mac.Replace(':', '-')}"], TimeSpan.FromSeconds(30));
        Assert.True(tftp.ExitCode == 0, tftp.Output);
        // The config's transfer is recorded through the event bus, a moment after curl has it.
        await NamespaceLab.WaitForAsync(async () => (await _appliance.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString() == "booting",
            Limit, $"{hostname} booting");
        return id;
    }

    private Task<JsonElement> AlertAsync(string kind) => _receiver.AlertAsync(kind, Limit);

    private static string BuildToken(string config) =>
        System.Text.RegularExpressions.Regex.Match(config, "/build/([A-Za-z0-9_-]+)/preseed").Groups[1].Value;
}
