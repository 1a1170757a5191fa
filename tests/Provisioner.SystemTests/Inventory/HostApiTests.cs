using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>
/// The host API, boot configs, preseeds and callbacks over real HTTP (and TFTP) against the real
/// appliance; run once on SQLite and once on PostgreSQL by the subclasses below.
/// </summary>
public abstract class HostApiTests : IAsyncLifetime
{
    private readonly Func<TestDatabase> _database;
    private static int _next;
    private InventoryAppliance _app = null!;

    private protected HostApiTests(Func<TestDatabase> database) => _database = database;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(_database());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A host no other test in this class uses (tests share one appliance).</summary>
    private static Dictionary<string, object?> NewHost()
    {
        int n = Interlocked.Increment(ref _next);
        return new()
        {
            ["mac"] = $"AA-BB-CC-00-00-{n:X2}", ["hostname"] = $"node{n:000}", ["domain"] = "example.org", ["ip"] = $"192.0.2.{n + 10}/24",
            ["gateway"] = "192.0.2.1", ["dns"] = new[] { "192.0.2.53" }, ["profile"] = "debian12", ["console"] = "ttyS1,115200n8",
        };
    }

    private async Task<string> TftpTextAsync(string path)
    {
        ProcessResult result = await ProcessRunner.RunCheckedAsync("curl", "-sS", "--tftp-blksize", "1408", $"tftp://127.0.0.1:{_app.Tftp}/{path}");
        return result.StandardOutput;
    }

    private async Task WaitForEventsAsync(int id, int count)
    {
        for (int i = 0; i < 100; i++)
        {
            if ((await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}/events")).GetArrayLength() >= count)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"host {id} did not reach {count} timeline events");
    }

    [Fact]
    public async Task List_Paged_FollowsLinkWithTheFilterKept_AndCountsEveryMatch()
    {
        var names = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            Dictionary<string, object?> fields = NewHost();
            (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).EnsureSuccessStatusCode();
            names.Add((string)fields["hostname"]!);
        }
        Dictionary<string, object?> other = NewHost();
        other["hostname"] = "other01";
        (await _app.Api.PostAsJsonAsync("/api/hosts", other)).EnsureSuccessStatusCode();

        using HttpResponseMessage first = await _app.Api.GetAsync("/api/hosts?search=node&limit=2");
        Assert.Equal("5", Assert.Single(first.Headers.GetValues("X-Total-Count")));
        Assert.Equal(2, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        string? next = HostPages.NextLink(first);
        Assert.NotNull(next);
        Assert.Contains("search=node", next, StringComparison.Ordinal);

        List<JsonElement> all = await HostPages.AllAsync(_app.Api, "/api/hosts?search=node&limit=2");
        Assert.Equal(names.Order(StringComparer.Ordinal), all.Select(h => h.GetProperty("hostname").GetString()));
        using HttpResponseMessage last = await _app.Api.GetAsync("/api/hosts?search=node&limit=5");
        Assert.Null(HostPages.NextLink(last));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    public async Task List_BadLimit_Is400(string query)
    {
        using HttpResponseMessage response = await _app.Api.GetAsync($"/api/hosts?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        (await _app.Api.PostAsJsonAsync("/api/hosts", NewHost())).EnsureSuccessStatusCode();
        Assert.Single(await HostPages.AllAsync(_app.Api));
    }

    [Fact]
    public async Task Crud_CreateGetUpdateDelete_RoundTripsTheJson()
    {
        Dictionary<string, object?> fields = NewHost();
        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/hosts", fields);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement host = await created.Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        Assert.Equal(((string)fields["mac"]!).ToLowerInvariant().Replace('-', ':'), host.GetProperty("mac").GetString());
        Assert.Equal("idle", host.GetProperty("state").GetString());
        Assert.Equal($"/api/hosts/{id}", created.Headers.Location?.ToString());

        JsonElement byMac = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{fields["mac"]}");
        Assert.Equal(id, byMac.GetProperty("id").GetInt32());
        JsonElement list = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?search={fields["hostname"]}");
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt32());

        using HttpResponseMessage patched = await _app.Api.PatchAsJsonAsync($"/api/hosts/{id}", new { notes = "rack 4", kernelArgs = "quiet" });
        JsonElement after = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rack 4", after.GetProperty("notes").GetString());
        Assert.Equal("ttyS1,115200n8", after.GetProperty("console").GetString());

        using HttpResponseMessage deleted = await _app.Api.DeleteAsync($"/api/hosts/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using HttpResponseMessage gone = await _app.Api.GetAsync($"/api/hosts/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Create_BadFields_Is400ProblemNamingEachFieldAndSavesNothing()
    {
        Dictionary<string, object?> fields = NewHost();
        fields["mac"] = "aa:bb:cc:dd:ee";
        fields["gateway"] = "198.51.100.1";
        fields["hostname"] = new string('h', 70);

        using HttpResponseMessage response = await _app.Api.PostAsJsonAsync("/api/hosts", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement errors = problem.GetProperty("errors");
        Assert.Equal(["gateway", "hostname", "mac"], errors.EnumerateObject().Select(p => p.Name).Order());
        JsonElement none = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?search={fields["ip"]!.ToString()!.Split('/')[0]}");
        Assert.Empty(none.EnumerateArray());
    }

    [Fact]
    public async Task Create_MalformedJson_Is400ProblemNamingThePath()
    {
        using var body = new StringContent("{\"mac\":\"aa:bb:cc:dd:ee:01\",\"dns\":\"192.0.2.1\"}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _app.Api.PostAsync("/api/hosts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("$.dns", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateMacInAnotherSpelling_Is409()
    {
        Dictionary<string, object?> first = NewHost();
        (await _app.Api.PostAsJsonAsync("/api/hosts", first)).EnsureSuccessStatusCode();
        Dictionary<string, object?> second = NewHost();
        second["mac"] = ((string)first["mac"]!).Replace("-", "", StringComparison.Ordinal).Insert(4, ".").Insert(9, ".").ToLowerInvariant();

        using HttpResponseMessage response = await _app.Api.PostAsJsonAsync("/api/hosts", second);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("already belongs to host", problem.GetProperty("errors").GetProperty("mac")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutOrWithWrongToken_Is401()
    {
        using HttpResponseMessage none = await _app.Anonymous.GetAsync("/api/hosts");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "prov_0000000000000000000000000000000000000000000000");
        using HttpResponseMessage wrong = await _app.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("provisioner token create", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A host's own install settings over the site's (<c>Preseed:Defaults</c>) over the built-in ones,
    /// as the preseed and the boot config carry them; a bad one is refused by name and changes nothing.
    /// </summary>
    [Fact]
    public async Task InstallSettings_HostsOwnOverTheSites_ReachThePreseed_BadOneIs400AndChangesNothing()
    {
        string config = Path.Join(Path.GetTempPath(), $"provisioner-settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Preseed = new { Defaults = new { Mirror = "http://mirror.example.org/debian", TimeZone = "Europe/Paris", Packages = "vim" } },
        }));
        try
        {
            await using InventoryAppliance app = await InventoryAppliance.StartAsync(_database(), extra: ["--config", config]);
            Dictionary<string, object?> own = NewHost();
            own["settings"] = new { timeZone = "Europe/Berlin", disk = "/dev/sdb", packages = "htop, curl", wipeDisks = false };
            JsonElement created = await (await app.Api.PostAsJsonAsync("/api/hosts", own)).Content.ReadFromJsonAsync<JsonElement>();
            int id = created.GetProperty("id").GetInt32();
            Assert.Equal("htop curl", created.GetProperty("settings").GetProperty("packages").GetString());
            Assert.Equal(JsonValueKind.Null, created.GetProperty("settings").GetProperty("mirror").ValueKind);

            // A partial update changes the settings it names and keeps the others.
            using HttpResponseMessage refused = await app.Api.PatchAsJsonAsync($"/api/hosts/{id}", new { settings = new { timeZone = "Mars/Olympus", packages = "vim; rm -rf /" } });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            JsonElement errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["settings.packages", "settings.timeZone"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("Europe/Berlin", (await app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("settings").GetProperty("timeZone").GetString());
            using HttpResponseMessage patched = await app.Api.PatchAsJsonAsync($"/api/hosts/{id}", new { settings = new { locale = "de_DE.UTF-8" } });
            JsonElement settings = (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings");
            Assert.Equal("de_DE.UTF-8", settings.GetProperty("locale").GetString());
            Assert.Equal("Europe/Berlin", settings.GetProperty("timeZone").GetString());
            Assert.False(settings.GetProperty("wipeDisks").GetBoolean());

            (string bootConfig, string preseed) = await BuildAsync(app, id, (string)own["mac"]!);
            Assert.Contains("\n  IPAPPEND 2\n", bootConfig, StringComparison.Ordinal);
            Assert.Contains(" netcfg/choose_interface=auto locale=de_DE.UTF-8 keymap=us ", bootConfig, StringComparison.Ordinal);
            Assert.Contains("d-i time/zone string Europe/Berlin\n", preseed, StringComparison.Ordinal);
            Assert.Contains("d-i mirror/http/hostname string mirror.example.org\nd-i mirror/http/directory string /debian\n", preseed, StringComparison.Ordinal);
            Assert.Contains("d-i partman-auto/disk string /dev/sdb\n", preseed, StringComparison.Ordinal);
            Assert.Contains("d-i pkgsel/include string htop curl\n", preseed, StringComparison.Ordinal);
            Assert.DoesNotContain("device_remove_lvm", preseed, StringComparison.Ordinal);
            Assert.Contains($"d-i netcfg/choose_interface select {((string)own["mac"]!).ToLowerInvariant().Replace('-', ':')}\n", preseed, StringComparison.Ordinal);

            // A host that sets nothing: the site's, then the built-in ones (wipe old LVM/RAID, the first disk).
            Dictionary<string, object?> plain = NewHost();
            int plainId = (await (await app.Api.PostAsJsonAsync("/api/hosts", plain)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            (_, string sitePreseed) = await BuildAsync(app, plainId, (string)plain["mac"]!);
            Assert.Contains("d-i time/zone string Europe/Paris\n", sitePreseed, StringComparison.Ordinal);
            Assert.Contains("d-i pkgsel/include string vim\n", sitePreseed, StringComparison.Ordinal);
            Assert.Contains("d-i partman-lvm/device_remove_lvm boolean true\n", sitePreseed, StringComparison.Ordinal);
            Assert.Contains("d-i partman-md/device_remove_md boolean true\n", sitePreseed, StringComparison.Ordinal);
            Assert.Contains("debconf-set partman-auto/disk \"$(list-devices disk | head -n1)\"", sitePreseed, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>
    /// A profile whose kernel and initrd are not in the boot dir (the test's has only debian12's): the
    /// build request's answer warns, and the boot loader's request for the kernel fails the build at
    /// once, naming the file, instead of leaving it "booting" until the stall timeout.
    /// </summary>
    [Fact]
    public async Task Build_ProfileLackingBootFiles_AnswerWarns_KernelRequestFailsTheBuildNamingTheFile()
    {
        Dictionary<string, object?> fields = NewHost();
        fields["profile"] = "ubuntu2004";
        int id = (await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Dictionary<string, object?> debian = NewHost();
        int debianId = (await (await _app.Api.PostAsJsonAsync("/api/hosts", debian)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        JsonElement answer = await (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", answer.GetProperty("state").GetString());
        Assert.Equal(
            ["profile ubuntu2004 lacks ubuntu2004/linux in the boot dir: the host will stop at its boot loader until the file is there",
             "profile ubuntu2004 lacks ubuntu2004/initrd.gz in the boot dir: the host will stop at its boot loader until the file is there"],
            answer.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        JsonElement debianAnswer = await (await _app.Api.PostAsync($"/api/hosts/{debianId}/build", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(debianAnswer.TryGetProperty("warnings", out _));

        await TftpTextAsync($"pxelinux.cfg/01-{((string)fields["mac"]!).ToLowerInvariant()}");
        await WaitForEventsAsync(id, 2);
        ProcessResult kernel = await ProcessRunner.RunAsync("curl", ["-sS", "-o", "/dev/null", $"tftp://127.0.0.1:{_app.Tftp}/ubuntu2004/linux"], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, kernel.ExitCode);

        await WaitForEventsAsync(id, 3);
        JsonElement failed = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}");
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal("ubuntu2004/linux is not in the boot dir (profile ubuntu2004): the machine stopped at its boot loader", failed.GetProperty("stateReason").GetString());
        JsonElement events = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}/events");
        Assert.Equal("tftp failed ubuntu2004/linux is not in the boot dir (profile ubuntu2004): the machine stopped at its boot loader",
            $"{events[2].GetProperty("source").GetString()} {events[2].GetProperty("state").GetString()} {events[2].GetProperty("message").GetString()}");
    }

    /// <summary>
    /// A group (a rack) carries gateway, DNS, domain, profile, console and settings; its hosts take what
    /// they leave empty, keep what they set, and "none" clears a value. A group change reaches the
    /// preseed of its hosts; one that does not fit a host, a bad group reference and deleting a group
    /// with hosts are refused (4xx) and change nothing.
    /// </summary>
    [Fact]
    public async Task Groups_HostsInheritAndOverride_ChangesReachThePreseed_BadReferencesAndMisfitsRefused()
    {
        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/groups", new
        {
            name = "rack-a", domain = "rack-a.example.org", gateway = "192.0.2.1", dns = new[] { "192.0.2.53" }, console = "ttyS0,115200n8",
            settings = new { timeZone = "Europe/Berlin", packages = "htop" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        int groupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        Dictionary<string, object?> unknown = NewHost();
        unknown["group"] = "rack-b";
        using HttpResponseMessage badReference = await _app.Api.PostAsJsonAsync("/api/hosts", unknown);
        Assert.Equal(HttpStatusCode.BadRequest, badReference.StatusCode);
        Assert.StartsWith("no group named 'rack-b'", (await badReference.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("group")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?search={unknown["hostname"]}")).EnumerateArray());

        Dictionary<string, object?> fields = new() { ["mac"] = NewHost()["mac"], ["hostname"] = "rack01", ["ip"] = "192.0.2.101/24", ["group"] = "rack-a", ["settings"] = new { packages = "curl" } };
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        Assert.Equal(("rack-a", "rack-a.example.org", "192.0.2.1", "ttyS0,115200n8"),
            (host.GetProperty("group").GetString(), host.GetProperty("domain").GetString(), host.GetProperty("gateway").GetString(), host.GetProperty("console").GetString()));
        Dictionary<string, object?> other = new() { ["mac"] = NewHost()["mac"], ["hostname"] = "rack02", ["ip"] = "192.0.2.102/24", ["group"] = "rack-a", ["console"] = "none", ["gateway"] = "192.0.2.254" };
        JsonElement own = await (await _app.Api.PostAsJsonAsync("/api/hosts", other)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, own.GetProperty("console").ValueKind);
        Assert.Equal("192.0.2.254", own.GetProperty("gateway").GetString());

        // A change to the group that one member's subnet cannot take: 409 naming the host; nothing changes.
        using HttpResponseMessage misfit = await _app.Api.PatchAsJsonAsync($"/api/groups/{groupId}", new { gateway = "198.51.100.1" });
        Assert.Equal(HttpStatusCode.Conflict, misfit.StatusCode);
        JsonElement misfitErrors = (await misfit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["host rack01: gateway"], misfitErrors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("192.0.2.1", (await _app.Api.GetFromJsonAsync<JsonElement>("/api/groups/rack-a")).GetProperty("gateway").GetString());

        using HttpResponseMessage changed = await _app.Api.PatchAsJsonAsync($"/api/groups/{groupId}", new { settings = new { timeZone = "America/New_York" }, dns = new[] { "192.0.2.54" } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hosts").GetInt32());
        (_, string preseed) = await BuildAsync(_app, id, (string)fields["mac"]!);
        Assert.Contains("d-i time/zone string America/New_York\n", preseed, StringComparison.Ordinal);
        Assert.Contains("d-i netcfg/get_nameservers string 192.0.2.54\n", preseed, StringComparison.Ordinal);
        Assert.Contains("d-i netcfg/get_domain string rack-a.example.org\n", preseed, StringComparison.Ordinal);
        Assert.Contains("d-i pkgsel/include string curl\n", preseed, StringComparison.Ordinal);

        using HttpResponseMessage inUse = await _app.Api.DeleteAsync($"/api/groups/{groupId}");
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        using HttpResponseMessage taken = await _app.Api.PostAsJsonAsync("/api/groups", new { name = "RACK-A" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        using HttpResponseMessage bad = await _app.Api.PostAsJsonAsync("/api/groups", new { name = "rack b", profile = "windows" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["name", "profile"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Single((await _app.Api.GetFromJsonAsync<JsonElement>("/api/groups")).EnumerateArray());
    }

    /// <summary>Puts the host in build mode and fetches its pxelinux config and preseed over HTTP.</summary>
    private static async Task<(string Config, string Preseed)> BuildAsync(InventoryAppliance app, int id, string mac)
    {
        (await app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        string config = await app.Anonymous.GetStringAsync($"/pxelinux.cfg/01-{mac.ToLowerInvariant().Replace(':', '-')}");
        string preseedUrl = config.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];
        return (config, await app.Anonymous.GetStringAsync(preseedUrl));
    }

    [Fact]
    public async Task Build_ConfigOverTftpAndHttp_PreseedAndCallbacks_EndInstalledWithLocalBoot()
    {
        Dictionary<string, object?> fields = NewHost();
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        string configName = "01-" + ((string)fields["mac"]!).ToLowerInvariant();
        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();

        // Transfers reach the timeline through the event bus, a moment after the client has the file:
        // each is waited for before the next, so the steps' order is the order the files went out
        // (a TFTP transfer counts when the server has the last ACK, which can come after curl has left).
        string config = await TftpTextAsync($"pxelinux.cfg/{configName}");
        await WaitForEventsAsync(id, 2);
        string preseedUrl = config.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];
        Assert.StartsWith($"http://127.0.0.1:{new Uri(_app.HttpBase).Port}/build/", preseedUrl, StringComparison.Ordinal);
        Assert.Contains($"netcfg/get_hostname={fields["hostname"]}", config, StringComparison.Ordinal);
        Assert.Equal(config, await _app.Anonymous.GetStringAsync($"/pxelinux.cfg/{configName}"));
        await TftpTextAsync("debian12/linux");
        await WaitForEventsAsync(id, 3);
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", "/dev/null", $"{_app.HttpBase}/boot/debian12/initrd.gz");
        await WaitForEventsAsync(id, 4);

        string preseed = await _app.Anonymous.GetStringAsync(preseedUrl);
        // Recorded once the response went out, through the bus too; the callbacks below are written at once.
        await WaitForEventsAsync(id, 5);
        Assert.Contains($"d-i netcfg/get_ipaddress string {fields["ip"]!.ToString()!.Split('/')[0]}", preseed, StringComparison.Ordinal);
        Assert.Contains("d-i debian-installer/add-kernel-opts string console=tty0 console=ttyS1,115200n8", preseed, StringComparison.Ordinal);
        string callbacks = preseedUrl[..^"preseed".Length];
        // As d-i's busybox wget calls them: plain GETs, and a POSTed message.
        await ProcessRunner.RunCheckedAsync("busybox", "wget", "-q", "-O", "/dev/null", callbacks + "early");
        await ProcessRunner.RunCheckedAsync("busybox", "wget", "-q", "-O", "/dev/null", "--post-data", "message=late done", callbacks + "late");
        await ProcessRunner.RunCheckedAsync("busybox", "wget", "-q", "-O", "/dev/null", callbacks + "finished");

        JsonElement installed = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}");
        Assert.Equal("installed", installed.GetProperty("state").GetString());
        Assert.Contains("LOCALBOOT 0", await TftpTextAsync($"pxelinux.cfg/{configName}"), StringComparison.Ordinal);
        JsonElement events = await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}/events");
        string[] steps = events.EnumerateArray().Select(e => $"{e.GetProperty("source").GetString()} {e.GetProperty("state").GetString()}").ToArray();
        // The HTTP fetch of the same config a moment after the TFTP one is a repeat, not a new step.
        Assert.Equal(["api pending", "tftp booting", "tftp booting", "http booting", "http installing", "callback installing", "callback installing", "callback installed"], steps);
        Assert.StartsWith("debian12/linux transferred (300.0 kB", events[2].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("debian12/initrd.gz transferred (500.0 kB", events[3].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("late done", events[6].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndedBuilds_OldPreseedAndCallbacksAre404AndChangeNothing_CancelledBuildsConfigIsLocalBoot()
    {
        Dictionary<string, object?> fields = NewHost();
        int id = (await (await _app.Api.PostAsJsonAsync("/api/hosts", fields)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        string configName = "01-" + ((string)fields["mac"]!).ToLowerInvariant();
        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        string preseedUrl = PreseedUrl(await TftpTextAsync($"pxelinux.cfg/{configName}"));
        string callbacks = preseedUrl[..^"preseed".Length];
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(preseedUrl));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(callbacks + "finished"));
        int events = (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}/events")).GetArrayLength();

        // Replayed with the installed build's token: a failed then an early would have put it back into install mode.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(preseedUrl));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(callbacks + "failed?message=replayed"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(callbacks + "early"));
        Assert.Equal("installed", (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString());
        Assert.Contains("LOCALBOOT 0", await TftpTextAsync($"pxelinux.cfg/{configName}"), StringComparison.Ordinal);
        Assert.Equal(events, (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}/events")).GetArrayLength());

        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        string second = PreseedUrl(await _app.Anonymous.GetStringAsync($"/pxelinux.cfg/{configName}"));
        Assert.NotEqual(preseedUrl, second);
        (await _app.Api.PostAsync($"/api/hosts/{id}/cancel", null)).EnsureSuccessStatusCode();

        Assert.Contains("LOCALBOOT 0", await _app.Anonymous.GetStringAsync($"/pxelinux.cfg/{configName}"), StringComparison.Ordinal);
        Assert.Contains("LOCALBOOT 0", await TftpTextAsync($"pxelinux.cfg/{configName}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(second));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(second[..^"preseed".Length] + "early"));
        Assert.Equal("idle", (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString());
    }

    private static string PreseedUrl(string config) => config.Split(' ').Single(w => w.StartsWith("url=", StringComparison.Ordinal))["url=".Length..];

    private async Task<HttpStatusCode> StatusAsync(string url)
    {
        using HttpResponseMessage response = await _app.Anonymous.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        return response.StatusCode;
    }

    [Theory]
    [InlineData("pxelinux.cfg/C000020A")]
    [InlineData("pxelinux.cfg/C")]
    [InlineData("pxelinux.cfg/01-02-00-00-00-99-99")]
    public async Task PxelinuxLookup_NamesNotOurs_AreTftpFileNotFound_DefaultIsLocalBoot(string name)
    {
        // curl's exit code 68 is TFTP "file not found" (ERROR 1), which sends pxelinux on to its next name.
        ProcessResult miss = await ProcessRunner.RunAsync("curl", ["-sS", $"tftp://127.0.0.1:{_app.Tftp}/{name}"], TimeSpan.FromMinutes(1));
        Assert.True(miss.ExitCode == 68, miss.Output);
        Assert.Contains("LOCALBOOT 0", await TftpTextAsync("pxelinux.cfg/default"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_WrongToken_Is404AndChangesNothing()
    {
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", NewHost())).Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();

        using HttpResponseMessage response = await _app.Anonymous.GetAsync("/build/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/finished");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("pending", (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString());
    }

    /// <summary>
    /// A callback's body is read only for a token a build has, and only up to 16 KiB. The requests
    /// announce a body and send none of it: an answer at all shows the server did not wait to read it.
    /// </summary>
    [Fact]
    public async Task Callback_BodyNotReadForAWrongToken_AndCappedForARightOne()
    {
        JsonElement host = await (await _app.Api.PostAsJsonAsync("/api/hosts", NewHost())).Content.ReadFromJsonAsync<JsonElement>();
        int id = host.GetProperty("id").GetInt32();
        (await _app.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        string config = await _app.Anonymous.GetStringAsync($"/pxelinux.cfg/01-{((string)host.GetProperty("mac").GetString()!).Replace(':', '-')}");
        string token = new Uri(PreseedUrl(config)).Segments[2].TrimEnd('/');
        // The config counts as served once its transfer completed, through the event bus: a moment after
        // the GET returned (under load, after the callbacks below, which is what failed a stressed run).
        await NamespaceLab.WaitForAsync(async () => await StateAsync(id) == "booting", TimeSpan.FromSeconds(60), "the config recorded as served");

        Assert.Equal(404, await StatusOfAnnouncedBodyAsync("/build/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/failed", 25 * 1024 * 1024));
        Assert.Equal(413, await StatusOfAnnouncedBodyAsync($"/build/{token}/failed", 1024 * 1024));
        // Neither callback changed it.
        Assert.Equal("booting", await StateAsync(id));
    }

    private async Task<string?> StateAsync(int id) => (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString();

    /// <summary>POSTs headers for a form of <paramref name="length"/> bytes, sends none of it, and reads the status code.</summary>
    private async Task<int> StatusOfAnnouncedBodyAsync(string path, int length)
    {
        var server = new Uri(_app.HttpBase);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        using System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        byte[] head = System.Text.Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\nmessage=");
        await stream.WriteAsync(head);
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        string? status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(status);
        return int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task GenericPreseed_UnknownRequester_Is404WithOneLineReason()
    {
        using HttpResponseMessage response = await _app.Anonymous.GetAsync("/preseed/debian12");
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(body.TrimEnd('\n').Split('\n'));
        Assert.Contains("no MAC address is known for 127.0.0.1", body, StringComparison.Ordinal);
    }

    /// <summary>The import's limit checked only Content-Length: a 20 MB chunked body was read and parsed whole (200).</summary>
    [Fact]
    public async Task Import_ChunkedBodyOverTheLimit_Is413()
    {
        await AssertRefusedAsync("/api/import?format=ip2mac", "/api/import", new CountingBody(20 * 1024 * 1024), chunked: true);
        Assert.Empty(await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/hosts") ?? []);
    }

    /// <summary>Every other endpoint reads at most 1 MiB (Kestrel's default was 30 MB, for anyone).</summary>
    [Fact]
    public async Task HostJson_OverAMegabyte_Is413()
    {
        // Whitespace: JSON that would parse, were it read.
        await AssertRefusedAsync("/api/hosts", "/api/hosts", new CountingBody(20 * 1024 * 1024), chunked: false);
    }

    /// <summary>
    /// Posts <paramref name="body"/>, far over the limit, and checks the server refused it. The client
    /// sees the 413 when it reads it; when the server's close overtakes the client's send (a matter of
    /// timing: stressed runs got "Broken pipe", with all or part of the body sent), the server's own
    /// request counter says how it answered: one more 4xx (an error the exception handler answered
    /// carries no endpoint label, so any endpoint's; the tests of one class run one at a time), and no
    /// 2xx for <paramref name="endpoint"/>.
    /// </summary>
    private async Task AssertRefusedAsync(string path, string endpoint, CountingBody body, bool chunked)
    {
        double refusedBefore = await RequestsAsync(null, "4xx");
        double acceptedBefore = await RequestsAsync(endpoint, "2xx");
        using var content = new StreamContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(chunked ? "text/plain" : "application/json");
        content.Headers.ContentLength = chunked ? null : body.Total;
        try
        {
            using HttpResponseMessage response = await _app.Api.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException cut) when (cut.InnerException is IOException)
        {
            // The answer is in the server's count, below.
        }
        await NamespaceLab.WaitForAsync(async () => await RequestsAsync(null, "4xx") > refusedBefore, TimeSpan.FromSeconds(30), $"the server's 4xx for the body to {endpoint}");
        Assert.Equal(acceptedBefore, await RequestsAsync(endpoint, "2xx"));
    }

    /// <summary>Requests to <paramref name="endpoint"/> (null: any) the server has answered with <paramref name="code"/> (<c>2xx</c>, <c>4xx</c>), from /metrics.</summary>
    private async Task<double> RequestsAsync(string? endpoint, string code) =>
        // The label is the route pattern, which a group's "" route ends with a slash ("/api/hosts/").
        (await PrometheusText.ParseAsync(await _app.Anonymous.GetStringAsync("/metrics")))
            .Where(m => m.Name == "http_requests_received_total" && m.Labels.GetValueOrDefault("code") == code
                && (endpoint is null || m.Labels.GetValueOrDefault("endpoint")?.TrimEnd('/') == endpoint))
            .Sum(m => m.Value);

    /// <summary>A body of newlines, LENGTH bytes long, made as it is sent.</summary>
    private sealed class CountingBody(long length) : Stream
    {
        public long Total => length;

        public long Sent { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Sent);
            buffer.AsSpan(offset, n).Fill((byte)'\n');
            Sent += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Import_BadLines_ListsEveryOneAndSavesNothing_ThenGoodFileImportsAndExports()
    {
        int a = Interlocked.Add(ref _next, 3) + 100;
        string bad = $"ip|mac|hostname\n192.0.2.{a}|aa:bb:cc:01:00:{a:x2}|imp{a}\n192.0.2.{a + 1}|nonsense|imp{a + 1}\n192.0.2.{a + 2}|aa:bb:cc:01:00:{a + 2:x2}\n";
        using HttpResponseMessage refused = await _app.Api.PostAsync("/api/import?format=ip2mac&prefix=24&gateway=192.0.2.1", new StringContent(bad, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["line 3: mac", "line 4"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Empty((await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?search=imp{a}")).EnumerateArray());

        string good = $"192.0.2.{a}|aa:bb:cc:01:00:{a:x2}|imp{a}\n192.0.2.{a + 1}|aa:bb:cc:01:00:{a + 1:x2}|imp{a + 1}\n";
        using HttpResponseMessage imported = await _app.Api.PostAsync("/api/import?format=ip2mac&prefix=24&gateway=192.0.2.1&profile=ubuntu2004", new StringContent(good, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        string csv = await _app.Api.GetStringAsync("/api/export");
        Assert.Contains($",aa:bb:cc:01:00:{a + 1:x2},imp{a + 1},,192.0.2.{a + 1}/24,192.0.2.1,,ubuntu2004,", csv, StringComparison.Ordinal);
    }
}

[Trait("Category", "System")]
public sealed class HostApiSqliteTests : HostApiTests
{
    public HostApiSqliteTests()
        : base(TestDatabase.Sqlite)
    {
    }
}

[Trait("Category", "System")]
public sealed class HostApiPostgresTests : HostApiTests
{
    public HostApiPostgresTests()
        : base(TestDatabase.Postgres)
    {
    }
}
