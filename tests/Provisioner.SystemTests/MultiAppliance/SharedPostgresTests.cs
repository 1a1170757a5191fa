using System.Text.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.MultiAppliance;

/// <summary>
/// Two appliances, each in a network namespace of its own (two provisioning networks), sharing one
/// real PostgreSQL database through its Unix socket: started at once on an empty database, a host
/// registered through A boots through B, A's API and open host page show B's steps as they happen,
/// and B goes on serving, losing nothing, when A is stopped.
/// </summary>
[Trait("Category", "System")]
public sealed class SharedPostgresTests : NamespaceTest
{
    private const string HttpBase = "http://127.0.0.1:8080";
    private const string Mac = "52:54:00:ab:00:01";
    private const string Config = "pxelinux.cfg/01-52-54-00-ab-00-01";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private UiBrowser? _browser;
    private TestDatabase? _database;

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed record Appliance(string Name, NetworkNamespace Ns, string Dir, System.Diagnostics.Process Process, Func<string> Log);

    private async Task<Appliance> StartAsync(string name)
    {
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        await ProcessRunner.RunCheckedAsync("ip", "-n", ns.Name, "link", "set", "lo", "up");
        string dir = Files.Dir(name);
        Files.Create($"{name}/boot/debian12/linux", 200_000);
        Files.Create($"{name}/boot/debian12/initrd.gz", 300_000);
        return Serve(name, ns, dir);
    }

    /// <summary>The appliance's serve, on 127.0.0.1 of its own namespace (so the same ports as the other's).</summary>
    private Appliance Serve(string name, NetworkNamespace ns, string dir)
    {
        (System.Diagnostics.Process process, Func<string> log) = Lab.StartProcess(ns, dir, [ApplianceProcess.BinaryPath, "serve", "--appliance", name,
            "--database", _database!.SocketConnectionString, "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "127.0.0.1:69", "--http", HttpBase, "--syslog", "127.0.0.1:514"]);
        return new Appliance(name, ns, dir, process, log);
    }

    private static async Task HealthyAsync(Appliance at)
    {
        try
        {
            await NamespaceLab.WaitHealthyAsync(at.Ns, HttpBase);
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}; {at.Name} said: {at.Log()}");
        }
    }

    private static async Task<string> CurlAsync(Appliance at, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", at.Ns.Exec(["curl", "-sS", "--fail-with-body", .. arguments]), Limit);
        Assert.True(result.ExitCode == 0, $"curl {string.Join(' ', arguments)} on {at.Name}: {result.Output}\n{at.Log()}");
        return result.StandardOutput;
    }

    private static Task<string> ApiAsync(Appliance at, string token, string path, params string[] more) =>
        CurlAsync(at, ["-H", $"Authorization: Bearer {token}", .. more, HttpBase + path]);

    private static async Task<JsonElement[]> EventsAsync(Appliance at, string token, int id) =>
        [.. JsonDocument.Parse(await ApiAsync(at, token, $"/api/hosts/{id}/events")).RootElement.EnumerateArray()];

    private static async Task WaitForEventsAsync(Appliance at, string token, int id, int count)
    {
        using var limit = new CancellationTokenSource(Limit);
        while ((await EventsAsync(at, token, id)).Length < count)
        {
            await Task.Delay(100, limit.Token);
        }
    }

    [Fact]
    public async Task HostRegisteredOnA_BootsThroughB_AShowsBsStepsLive_BKeepsServingWhenAStops()
    {
        _database = TestDatabase.Postgres();
        // Both at once on an empty database: one creates it and migrates, the other waits its turn.
        Task<Appliance> startingA = StartAsync("rack-a"), startingB = StartAsync("rack-b");
        Appliance a = await startingA, b = await startingB;
        await HealthyAsync(a);
        await HealthyAsync(b);
        Assert.Contains("Hearing host changes from every appliance", a.Log(), StringComparison.Ordinal);
        string token = (await NamespaceLab.CliAsync(Files.Root, "token", "create", "--database", _database.ConnectionString!)).Trim();

        string created = await ApiAsync(a, token, "/api/hosts", "-H", "Content-Type: application/json", "--data",
            $$"""{"mac":"{{Mac}}","hostname":"shared01","ip":"192.0.2.31/24","profile":"debian12"}""");
        int id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetInt32();
        await ApiAsync(a, token, $"/api/hosts/{id}/build", "-X", "POST");

        // A's host page, open before B hears from the machine; updates must arrive without a reload.
        string password = (await File.ReadAllTextAsync(Directory.GetFiles(Files.Root, "initial-admin-password", SearchOption.AllDirectories).Single())).Trim();
        _browser = await UiBrowser.LaunchInNamespaceAsync(a.Ns, a.Dir);
        IPage page = await _browser.NewPageAsync(HttpBase);
        await UiBrowser.SignInAsync(page, "admin", password);
        await page.GotoAsync($"/hosts/{id}");
        await page.EvaluateAsync("() => window.notReloaded = true");
        await page.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");

        // The machine boots on B's network: config and kernel over TFTP from B.
        string config = await CurlAsync(b, $"tftp://127.0.0.1/{Config}");
        Assert.Contains("auto=true priority=critical", config, StringComparison.Ordinal);
        await CurlAsync(b, "-o", "/dev/null", "tftp://127.0.0.1/debian12/linux");
        var waitOptions = new PageWaitForSelectorOptions { Timeout = (float)Limit.TotalMilliseconds };
        await page.WaitForSelectorAsync($"#timeline >> text=boot config {Config} served", waitOptions);
        await page.WaitForSelectorAsync("#timeline >> text=@rack-b", waitOptions);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await UiBrowser.ScreenshotAsync(page, "shared-postgres-a-sees-b");

        // A stops; B serves the rest of the build on its own.
        await ProcessRunner.RunCheckedAsync("kill", "-TERM", $"{a.Process.Id}");
        string preseedUrl = config.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];
        Assert.StartsWith($"{HttpBase}/build/", preseedUrl, StringComparison.Ordinal);
        Assert.Contains("d-i netcfg/get_hostname string shared01", await CurlAsync(b, preseedUrl), StringComparison.Ordinal);
        // The preseed counts as fetched once it went out, recorded through B's event bus; the callbacks are written at once.
        await WaitForEventsAsync(b, token, id, 4);
        string callbacks = preseedUrl[..^"preseed".Length];
        await CurlAsync(b, callbacks + "early");
        await CurlAsync(b, callbacks + "finished");
        Assert.Equal("installed", JsonDocument.Parse(await ApiAsync(b, token, $"/api/hosts/{id}")).RootElement.GetProperty("state").GetString());

        // Nothing was lost: every step is there, each with the appliance that saw it, through B and through A restarted.
        string[] expected = ["api pending rack-a", "tftp booting rack-b", "tftp booting rack-b", "http installing rack-b", "callback installing rack-b", "callback installed rack-b"];
        Assert.Equal(expected, Steps(await EventsAsync(b, token, id)));
        Assert.True(a.Process.WaitForExit(Limit), $"rack-a did not stop: {a.Log()}");
        Appliance restarted = Serve(a.Name, a.Ns, a.Dir);
        await HealthyAsync(restarted);
        Assert.Equal(expected, Steps(await EventsAsync(restarted, token, id)));
    }

    [Fact]
    public async Task HostPinnedToA_GetsLocalBootFromB_AndTheInstallerFromA()
    {
        _database = TestDatabase.Postgres();
        Appliance a = await StartAsync("rack-a");
        await HealthyAsync(a);
        Appliance b = await StartAsync("rack-b");
        await HealthyAsync(b);
        string token = (await NamespaceLab.CliAsync(Files.Root, "token", "create", "--database", _database.ConnectionString!)).Trim();
        string created = await ApiAsync(b, token, "/api/hosts", "-H", "Content-Type: application/json", "--data",
            $$"""{"mac":"{{Mac}}","hostname":"pinned01","ip":"192.0.2.32/24","profile":"debian12","appliance":"RACK-A"}""");
        JsonElement host = JsonDocument.Parse(created).RootElement;
        Assert.Equal("rack-a", host.GetProperty("appliance").GetString());
        await ApiAsync(b, token, $"/api/hosts/{host.GetProperty("id").GetInt32()}/build", "-X", "POST");

        Assert.Contains("LOCALBOOT 0", await CurlAsync(b, $"tftp://127.0.0.1/{Config}"), StringComparison.Ordinal);
        Assert.Contains("auto=true priority=critical", await CurlAsync(a, $"tftp://127.0.0.1/{Config}"), StringComparison.Ordinal);
    }

    private static string[] Steps(JsonElement[] events) =>
        [.. events.Select(e => $"{e.GetProperty("source").GetString()} {e.GetProperty("state").GetString()} {e.GetProperty("appliance").GetString()}")];
}
