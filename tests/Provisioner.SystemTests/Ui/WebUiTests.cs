using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// The web UI in Debian's Chromium, driven by Playwright, against the real appliance on 127.0.0.1
/// with its shipped templates (copied, so one test can break one) and a SQLite inventory.
/// </summary>
[Trait("Category", "System")]
public sealed partial class WebUiTests : IAsyncLifetime
{
    private const string Mac = "52:54:00:aa:00:01";
    private readonly TestFiles _files = new();
    private InventoryAppliance _appliance = null!;
    private UiBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        string templates = _files.Dir("templates");
        foreach (string file in Directory.EnumerateFiles(InventoryAppliance.Templates, "*", SearchOption.AllDirectories))
        {
            string target = Path.Join(templates, Path.GetRelativePath(InventoryAppliance.Templates, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        _appliance = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), templates);
        _browser = await UiBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _appliance.DisposeAsync();
        _files.Dispose();
    }

    private string AdminPassword => File.ReadAllText(Path.Join(_appliance.DataDir, "initial-admin-password")).Trim();

    private async Task<IPage> AdminPageAsync(int width = 1280)
    {
        IPage page = await _browser.NewPageAsync(_appliance.HttpBase, width);
        await UiBrowser.SignInAsync(page, "admin", AdminPassword);
        return page;
    }

    private async Task<int> CreateHostAsync(string hostname = "web01", string mac = Mac, string ip = "192.0.2.21/24")
    {
        using HttpResponseMessage created = await _appliance.Api.PostAsJsonAsync("/api/hosts",
            new { mac, hostname, ip, gateway = "192.0.2.1", dns = new[] { "192.0.2.53" }, profile = "debian12", console = "ttyS1,115200n8" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<HostJson>())!.Id;
    }

    /// <summary>A group with a gateway, through the API; its id.</summary>
    private async Task<string> CreateGroupAsync(string name)
    {
        using HttpResponseMessage created = await _appliance.Api.PostAsJsonAsync("/api/groups", new { name, gateway = "192.0.2.1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<HostJson> HostAsync(int id) => (await _appliance.Api.GetFromJsonAsync<HostJson>($"/api/hosts/{id}"))!;

    private sealed record HostJson(int Id, string Hostname, string State, string? Step, int Progress);

    [Fact]
    public async Task SignIn_WrongPasswordRefused_AdminPasswordFileWorks_SignOutEndsSession()
    {
        string file = Path.Join(_appliance.DataDir, "initial-admin-password");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(file, _appliance.Output, StringComparison.Ordinal);
        IPage page = await _browser.NewPageAsync(_appliance.HttpBase);

        await page.GotoAsync("/hosts");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#Name", "admin");
        await page.FillAsync("#Password", "not the password");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("Wrong user name or password.", await page.InnerTextAsync("[role=alert]"));
        await UiBrowser.ScreenshotAsync(page, "signin-refused");

        await page.FillAsync("#Name", "admin");
        await page.FillAsync("#Password", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        // The appliance chose this password: the first sign-in asks for the admin's own, naming the file.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
        Assert.Contains("initial-admin-password", await page.InnerTextAsync(".prompt"), StringComparison.Ordinal);
        await page.ClickAsync("#later");
        await page.WaitForURLAsync("**/hosts");
        IReadOnlyList<BrowserContextCookiesResult> cookies = await page.Context.CookiesAsync();
        BrowserContextCookiesResult session = cookies.Single(c => c.Name == "provisioner.session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        await UiBrowser.ScreenshotAsync(page, "signin-hosts");

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/login");
        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHost_BadMac_ErrorNextToFieldAndNothingSaved_ThenFixedAndSaved()
    {
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/hosts/new");
        await page.FillAsync("#Form_Mac", "52:54:00:zz:00:01");
        await page.FillAsync("#Form_Hostname", "db01");
        await page.FillAsync("#Form_Ip", "192.0.2.31/24");
        await page.FillAsync("#Form_Gateway", "192.0.2.1");
        await page.ClickAsync("button:has-text('Add host')");

        string error = await page.InnerTextAsync("#Form_Mac ~ .field-error");
        Assert.Contains("MAC", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", await page.GetAttributeAsync("#Form_Mac", "aria-invalid"));
        Assert.Equal(string.Empty, (await page.InnerTextAsync("#Form_Hostname ~ .field-error")).Trim());
        Assert.Equal("db01", await page.InputValueAsync("#Form_Hostname"));
        await UiBrowser.ScreenshotAsync(page, "add-host-bad-mac");
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/hosts"));

        await page.FillAsync("#Form_Mac", "5254.00AA.0002");
        await page.ClickAsync("button:has-text('Add host')");
        await page.WaitForURLAsync(new Regex("/hosts/[0-9]+$"));
        Assert.Equal("52:54:00:aa:00:02", await page.InputValueAsync("#Form_Mac"));
        Assert.Contains("\"hostname\":\"db01\"", await _appliance.Api.GetStringAsync("/api/hosts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileWithOneBadLine_LineReportedAndNothingSaved()
    {
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/hosts/import");
        string file = Path.Join(_files.Root, "ip2mac.txt");
        await File.WriteAllTextAsync(file, "ip|mac|hostname\n192.0.2.41|52:54:00:aa:00:41|node41\n192.0.2.42|52:54:00:aa:00:4|node42\n192.0.2.43|52:54:00:aa:00:43|node43\n");
        await page.SetInputFilesAsync("#Upload", file);
        await page.FillAsync("#Gateway", "192.0.2.1");
        await page.ClickAsync("button:has-text('Import')");

        string report = await page.InnerTextAsync("[role=alert]");
        Assert.Contains("Nothing was imported: 1 problem", report, StringComparison.Ordinal);
        Assert.Contains("line 3", report, StringComparison.Ordinal);
        Assert.Contains("mac", report, StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "import-bad-line");
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/hosts"));
    }

    [Fact]
    public async Task Build_RequestedInUi_TimelineAndProgressUpdateLive_OnHostPageAndDashboard()
    {
        int id = await CreateHostAsync();
        IPage host = await AdminPageAsync();
        await host.GotoAsync($"/hosts/{id}");
        await host.ClickAsync("button:has-text('Build')");
        await host.WaitForSelectorAsync("#status .badge-pending");
        IPage dashboard = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(dashboard, "admin", AdminPassword);
        await dashboard.WaitForSelectorAsync("#builds >> text=web01");
        // Marks on both pages: a reload would lose them, so finding them later proves the update came live.
        await host.EvaluateAsync("() => window.notReloaded = true");
        await dashboard.EvaluateAsync("() => window.notReloaded = true");
        await host.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");
        await dashboard.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");

        // The machine PXE-boots: pxelinux fetches its config over TFTP.
        string config = Path.Join(_files.Root, "config");
        ProcessResult tftp = await ProcessRunner.RunAsync("curl", ["-sS", "-o", config, $"tftp://127.0.0.1:{_appliance.Tftp}/pxelinux.cfg/01-52-54-00-aa-00-01"], TimeSpan.FromSeconds(30));
        Assert.True(tftp.ExitCode == 0, tftp.Output);
        string token = TokenPattern().Match(await File.ReadAllTextAsync(config)).Groups[1].Value;
        await host.WaitForSelectorAsync("#timeline >> text=boot config pxelinux.cfg/01-52-54-00-aa-00-01 served");
        await host.WaitForSelectorAsync("#status .badge-booting");
        Assert.Equal("15", await host.GetAttributeAsync("#build-progress", "value"));

        // An initrd goes out over HTTP to a client that stops reading after the first MB, as a congested
        // link would: the transfer stays under way, part-sent, until the client reads on. 40 MB, so the
        // sockets' buffers (a few MB on loopback) cannot take it all at once.
        // Another host's page, open meanwhile, hears of none of it: not web01's steps, not its transfer.
        int otherId = await CreateHostAsync("web02", "52:54:00:aa:00:02", "192.0.2.22/24");
        IPage other = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(other, "admin", AdminPassword);
        await other.GotoAsync($"/hosts/{otherId}");
        await other.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");
        string initrd = Path.Join(_appliance.Cwd, "boot", "debian12", "big-initrd.gz");
        await File.WriteAllBytesAsync(initrd, new byte[40_000_000]);
        using (var client = new HttpClient { BaseAddress = new Uri(_appliance.HttpBase) })
        using (HttpResponseMessage slow = await client.GetAsync("/boot/debian12/big-initrd.gz", HttpCompletionOption.ResponseHeadersRead))
        await using (Stream body = await slow.Content.ReadAsStreamAsync())
        {
            byte[] buffer = new byte[81920];
            long read = 0;
            while (read < 1_000_000)
            {
                read += await body.ReadAsync(buffer);
            }
            await host.WaitForSelectorAsync("#timeline .transfers >> text=debian12/big-initrd.gz");
            await host.WaitForFunctionAsync("() => /^[1-9][0-9]? %$/.test(document.querySelector('#timeline .transfers .percent')?.textContent ?? '')");
            await UiBrowser.ScreenshotAsync(host, "build-transfer-live");
            Assert.Contains("\"path\":\"debian12/big-initrd.gz\"", await _appliance.Api.GetStringAsync($"/api/hosts/{id}/transfers"), StringComparison.Ordinal);
            await body.CopyToAsync(Stream.Null);
        }
        await host.WaitForSelectorAsync("#timeline >> text=debian12/big-initrd.gz transferred");
        await host.WaitForFunctionAsync("() => document.querySelector('#timeline .transfers') === null");
        Assert.Null(await other.EvaluateAsync<string?>("() => document.body.dataset.refreshed ?? null"));

        // The installer calls back.
        using (HttpResponseMessage early = await _appliance.Anonymous.PostAsync(new Uri($"/build/{token}/early", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        }
        await host.WaitForSelectorAsync("#timeline >> text=installer started (early_command)");
        await host.WaitForFunctionAsync("() => document.querySelector('#build-progress').value === 50");
        Assert.Contains("installing", await host.InnerTextAsync("#status"), StringComparison.Ordinal);
        await dashboard.WaitForSelectorAsync("#events >> text=installer started (early_command)");
        await dashboard.WaitForFunctionAsync("() => document.querySelector('#builds progress').value === 50");
        Assert.True(await host.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.True(await dashboard.EvaluateAsync<bool>("() => window.notReloaded === true"));

        // The installer streams its log (as d-i's busybox syslogd does, from the address that booted):
        // the lines tail live on the host page, and its menu steps move the progress.
        using (var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            var receiver = new IPEndPoint(IPAddress.Loopback, _appliance.Syslog);
            await syslog.SendAsync(Encoding.UTF8.GetBytes("<14>Nov 25 02:00:01 main-menu[213]: INFO: Menu item 'partman-base' selected"), receiver);
            await syslog.SendAsync(Encoding.UTF8.GetBytes("<14>Nov 25 02:00:02 partman: <b>disk</b> sda found"), receiver);
        }
        await host.WaitForSelectorAsync("#log >> text=partman: <b>disk</b> sda found");
        // One line per line, each with its arrival time.
        Assert.Matches(@"^\d\d:\d\d:\d\d main-menu\[213\]: INFO: Menu item 'partman-base' selected\n\d\d:\d\d:\d\d partman: <b>disk</b> sda found\n?$",
            await host.InnerTextAsync("#log pre.log"));
        // The log view reads at desktop and phone width.
        foreach (int width in new[] { 390, 1280 })
        {
            await host.SetViewportSizeAsync(width, 900);
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(host));
            await UiBrowser.ScreenshotAsync(host, $"log-view-{width}");
        }
        await host.WaitForFunctionAsync("() => document.querySelector('#build-progress').value === 62");
        Assert.Contains("installer: partitioning (partman-base)", await host.InnerTextAsync("#status"), StringComparison.Ordinal);
        await dashboard.WaitForSelectorAsync("#builds >> text=installer: partitioning (partman-base)");
        IDownload download = await host.RunAndWaitForDownloadAsync(() => host.ClickAsync("a:has-text('Download')"));
        string downloaded = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Matches(@"^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z main-menu\[213\]: INFO: Menu item 'partman-base' selected\n20.* partman: <b>disk</b> sda found\n$", downloaded);
        Assert.EndsWith("partman: <b>disk</b> sda found\n", await _appliance.Api.GetStringAsync($"/api/hosts/{id}/log?tail=1"), StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(host, "build-host-live");
        await UiBrowser.ScreenshotAsync(dashboard, "build-dashboard-live");

        // The rendered config and preseed are on the page, with the token masked.
        string rendered = await host.InnerTextAsync("main");
        Assert.Contains("d-i netcfg/get_ipaddress string 192.0.2.21", rendered, StringComparison.Ordinal);
        Assert.Contains("/build/********/preseed", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(token, rendered, StringComparison.Ordinal);
        HostJson json = await HostAsync(id);
        Assert.Equal(("installer: partitioning (partman-base)", 62), (json.Step, json.Progress));
    }

    [Fact]
    public async Task Groups_AddedInUi_BadValueBesideItsField_HostJoinsAndInherits_MisfitChangeNamesTheHost_UsedGroupStays()
    {
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/groups");
        await page.FillAsync("#Form_Name", "rack-a");
        await page.FillAsync("#Form_Gateway", "192.0.2.300");
        await page.FillAsync("#Form_TimeZone", "Europe/Berlin");
        await page.ClickAsync("button:has-text('Add group')");
        Assert.Equal("true", await page.GetAttributeAsync("#Form_Gateway", "aria-invalid"));
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/groups"));
        await page.FillAsync("#Form_Gateway", "192.0.2.1");
        await page.ClickAsync("button:has-text('Add group')");
        await page.WaitForURLAsync(new Regex("/groups/[0-9]+$"));
        string groupPage = page.Url;

        // A host joins on its page, leaving its gateway and console empty: it takes the group's.
        int id = await CreateHostAsync();
        await page.GotoAsync($"/hosts/{id}");
        await page.SelectOptionAsync("#Form_Group", "rack-a");
        await page.FillAsync("#Form_Gateway", string.Empty);
        await page.ClickAsync("button:has-text('Save')");
        Assert.Equal("Saved.", await page.InnerTextAsync("[role=status]"));
        System.Text.Json.JsonElement host = await _appliance.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/hosts/{id}");
        Assert.Equal(("rack-a", "192.0.2.1", "Europe/Berlin"),
            (host.GetProperty("group").GetString(), host.GetProperty("gateway").GetString(), host.GetProperty("settings").GetProperty("timeZone").GetString()));
        Assert.Equal(string.Empty, await page.InputValueAsync("#Form_Gateway"));

        // A gateway outside the member's subnet: refused, naming the host; nothing changes.
        await page.GotoAsync(groupPage);
        await page.FillAsync("#Form_Gateway", "198.51.100.1");
        await page.ClickAsync("button:has-text('Save')");
        Assert.Contains("host web01: gateway: 198.51.100.1 is outside the host's subnet", await page.InnerTextAsync("div.alert[role=alert]"), StringComparison.Ordinal);
        Assert.Equal("192.0.2.1", (await _appliance.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/groups/rack-a")).GetProperty("gateway").GetString());
        await UiBrowser.ScreenshotAsync(page, "group-misfit");

        await page.GotoAsync(groupPage);
        await page.ClickAsync("summary:has-text('Delete')");
        await page.ClickAsync("button:has-text('Delete rack-a')");
        Assert.Contains("group rack-a has 1 host(s)", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.Single((await _appliance.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/groups")).EnumerateArray());
    }

    /// <summary>The test's boot dir has only debian12's kernel and initrd: ubuntu2004 lacks both.</summary>
    [Fact]
    public async Task Build_ProfileLackingBootFiles_HostPageWarns_DashboardHealthNamesTheFiles()
    {
        using HttpResponseMessage created = await _appliance.Api.PostAsJsonAsync("/api/hosts", new { mac = Mac, hostname = "ubu01", ip = "192.0.2.21/24", profile = "ubuntu2004" });
        int id = (await created.Content.ReadFromJsonAsync<HostJson>())!.Id;
        IPage page = await AdminPageAsync();

        await page.GotoAsync("/");
        string health = await page.InnerTextAsync("#missing-boot-files");
        Assert.Contains("profile ubuntu2004 lacks ubuntu2004/linux", health, StringComparison.Ordinal);
        Assert.Contains("profile ubuntu2004 lacks ubuntu2004/initrd.gz", health, StringComparison.Ordinal);
        Assert.DoesNotContain("debian12", health, StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "dashboard-missing-boot-files");

        await page.GotoAsync($"/hosts/{id}");
        await page.ClickAsync("button:has-text('Build')");
        string warning = await page.InnerTextAsync("p.alert[role=alert]");
        Assert.Contains("profile ubuntu2004 lacks ubuntu2004/linux in the boot dir: the host will stop at its boot loader until the file is there.", warning, StringComparison.Ordinal);
        Assert.Equal("Build requested: the host installs at its next PXE boot.", await page.InnerTextAsync("p.notice[role=status]"));
        Assert.Equal("pending", (await HostAsync(id)).State);
        await UiBrowser.ScreenshotAsync(page, "build-missing-boot-files");
    }

    [Fact]
    public async Task Hosts_SelectSeveral_BuildAll_ThenFilterAndSearch()
    {
        await CreateHostAsync("web01", "52:54:00:aa:00:01", "192.0.2.21/24");
        await CreateHostAsync("web02", "52:54:00:aa:00:02", "192.0.2.22/24");
        int db = await CreateHostAsync("db01", "52:54:00:aa:00:03", "192.0.2.23/24");
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/hosts?q=web");
        Assert.Equal(2, await page.Locator("table.hosts tbody tr").CountAsync());
        await page.Locator("input[name=ids]").Nth(0).CheckAsync();
        await page.Locator("input[name=ids]").Nth(1).CheckAsync();
        await page.ClickAsync("button:has-text('Build selected')");
        Assert.Contains("Build requested for 2 host(s): web01, web02.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);

        await page.GotoAsync("/hosts?state=pending&sort=ip&desc=true");
        Assert.Equal(["web02", "web01"], await page.Locator("table.hosts tbody tr td:nth-child(2)").AllInnerTextsAsync());
        Assert.Equal("idle", (await HostAsync(db)).State);
        await page.GotoAsync("/hosts?q=52:54:00:AA:00:03");
        Assert.Equal(["db01"], await page.Locator("table.hosts tbody tr td:nth-child(2)").AllInnerTextsAsync());
        await UiBrowser.ScreenshotAsync(page, "hosts-filtered");
    }

    [Fact]
    public async Task Hosts_230Hosts_PagesOf100_NextLastAndIpOrderAcrossPages_BuildKeepsThePage()
    {
        // Hostnames run against IPs, so hostname order and IP order differ on every page.
        string file = string.Join('\n', Enumerable.Range(0, 230).Select(i => $"192.0.2.{11 + i}|52:54:00:bb:00:{i:x2}|h{229 - i:000}"));
        using HttpResponseMessage imported = await _appliance.Api.PostAsync("/api/import?format=ip2mac&prefix=24&gateway=192.0.2.1",
            new StringContent(file, System.Text.Encoding.UTF8, "text/plain"));
        imported.EnsureSuccessStatusCode();
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/hosts");
        Assert.Equal(100, await page.Locator("table.hosts tbody tr").CountAsync());
        Assert.Equal("1–100 of 230 · page 1 of 3", await page.InnerTextAsync("#page-status"));
        Assert.Equal("h000", await page.InnerTextAsync("table.hosts tbody tr:first-child td:nth-child(2)"));

        await page.ClickAsync(".pager a[rel=next]");
        Assert.Equal("101–200 of 230 · page 2 of 3", await page.InnerTextAsync("#page-status"));
        Assert.Equal("h100", await page.InnerTextAsync("table.hosts tbody tr:first-child td:nth-child(2)"));
        await page.ClickAsync(".pager a[rel=last]");
        Assert.Equal("201–230 of 230 · page 3 of 3", await page.InnerTextAsync("#page-status"));
        Assert.Equal(30, await page.Locator("table.hosts tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator(".pager a[rel=next]").CountAsync());

        await page.GotoAsync("/hosts?sort=ip&p=3");
        Assert.Equal("192.0.2.211/24", await page.InnerTextAsync("table.hosts tbody tr:first-child td:nth-child(4)"));
        Assert.Equal("192.0.2.240/24", await page.InnerTextAsync("table.hosts tbody tr:last-child td:nth-child(4)"));
        await page.Locator("input[name=ids]").Nth(0).CheckAsync();
        await page.ClickAsync("button:has-text('Build selected')");
        Assert.Contains("Build requested for 1 host(s): h029.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.Equal("201–230 of 230 · page 3 of 3", await page.InnerTextAsync("#page-status"));
        foreach (string past in new[] { "99", "2147483647", "-5" })
        {
            await page.GotoAsync($"/hosts?p={past}");
            Assert.Equal(past == "-5" ? "1–100 of 230 · page 1 of 3" : "201–230 of 230 · page 3 of 3", await page.InnerTextAsync("#page-status"));
        }
    }

    [Fact]
    public async Task Viewer_SeesNoChangeButtons_AndTheirPostIsRefused()
    {
        int id = await CreateHostAsync();
        IPage admin = await AdminPageAsync();
        await admin.GotoAsync("/users");
        await admin.FillAsync("#Name", "watcher");
        await admin.FillAsync("#Password", "watching only 1");
        await admin.SelectOptionAsync("#Role", "Viewer");
        await admin.ClickAsync("button:has-text('Add user')");
        Assert.Contains("User watcher added as viewer.", await admin.InnerTextAsync("[role=status]"), StringComparison.Ordinal);

        IPage viewer = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(viewer, "watcher", "watching only 1");
        string group = await CreateGroupAsync("rack-view");
        // Viewers read values, and no page gives them a form that changes anything (search forms are GET).
        foreach (string path in new[] { "/", "/hosts", $"/hosts/{id}", "/groups", $"/groups/{group}", "/discovered", "/dhcp", "/keys", "/audit", "/templates", "/mirror" })
        {
            foreach (int width in new[] { 1280, 390 })
            {
                await viewer.SetViewportSizeAsync(width, 900);
                await viewer.GotoAsync(path);
                Assert.Equal(0, await viewer.Locator("main form[method=post], main button:has-text('Build'), main button:has-text('Save'), main summary:has-text('Delete')").CountAsync());
                Assert.Equal(0, await viewer.Locator("main input[name^=Form], main textarea, main input[name=ids]").CountAsync());
                Assert.Empty(await UiBrowser.CriticalViolationsAsync(viewer));
                await UiBrowser.ScreenshotAsync(viewer, $"viewer{path.Replace('/', '-')}-{width}");
            }
        }
        await viewer.SetViewportSizeAsync(1280, 900);
        await viewer.GotoAsync($"/hosts/{id}");
        Assert.Equal("web01", await viewer.InnerTextAsync("dl.facts dt:has-text('Hostname') + dd"));
        await viewer.GotoAsync($"/groups/{group}");
        Assert.Equal("192.0.2.1", await viewer.InnerTextAsync("dl.facts dt:has-text('Gateway') + dd"));
        await viewer.GotoAsync("/hosts");
        Assert.Equal(0, await viewer.Locator("a:has-text('Add host')").CountAsync());

        // The viewer's own valid antiforgery token (from the sign-out form): the POST is still refused.
        int status = await viewer.EvaluateAsync<int>(@"async (id) => {
            const token = document.querySelector('input[name=__RequestVerificationToken]').value;
            const body = new URLSearchParams({ __RequestVerificationToken: token });
            return (await fetch(`/hosts/${id}?handler=Build`, { method: 'POST', body })).status;
        }", id);
        Assert.Equal(403, status);
        Assert.Equal("idle", (await HostAsync(id)).State);
        // An admin's page opened by a viewer: a page of the site saying why, answered 403.
        foreach (int width in new[] { 390, 1280 })
        {
            await viewer.SetViewportSizeAsync(width, 900);
            Assert.Equal(403, (await viewer.GotoAsync("/users"))!.Status);
            Assert.Equal("This page is for admins", await viewer.InnerTextAsync("h1"));
            Assert.Contains("/users changes the appliance or its users, and your account, watcher, is a viewer's", await viewer.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(viewer));
            await UiBrowser.ScreenshotAsync(viewer, $"viewer-forbidden-{width}");
        }
    }

    /// <summary>Access taken back from the UI: removing a user ends its open session; a revoked API token gets 401.</summary>
    [Fact]
    public async Task Users_RemovedUserSignedOut_RevokedTokenRefused()
    {
        IPage admin = await AdminPageAsync();
        await admin.GotoAsync("/users");
        await admin.FillAsync("#Name", "leaver");
        await admin.FillAsync("#Password", "leaving soon 1");
        await admin.ClickAsync("button:has-text('Add user')");
        IPage leaver = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(leaver, "leaver", "leaving soon 1");
        Assert.Equal(200, (await leaver.GotoAsync("/hosts"))!.Status);
        string token = (await _appliance.CliAsync("token", "create", "--name", "old-laptop")).StandardOutput.Trim();
        using var asLaptop = new HttpClient { BaseAddress = new Uri(_appliance.HttpBase) };
        asLaptop.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await asLaptop.GetAsync("/api/hosts")).StatusCode);

        await admin.GotoAsync("/users");
        await admin.ClickAsync("button[aria-label='Remove leaver']");
        Assert.Contains("User leaver removed", await admin.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        await admin.ClickAsync("button[aria-label='Revoke token old-laptop']");
        Assert.Contains("revoked", await admin.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(admin, "users-and-tokens");

        await leaver.GotoAsync("/hosts");
        Assert.EndsWith("/login", new Uri(leaver.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await asLaptop.GetAsync("/api/hosts")).StatusCode);
    }

    /// <summary>Site SSH keys from the UI: a bad line named next to the field and nothing saved; a good key listed, then removed; a viewer sees the list, no forms.</summary>
    [Fact]
    public async Task Keys_BadLineNamedAndNothingSaved_GoodKeyAddedAndRemoved_ViewerSeesNoForm()
    {
        string good = await SshKeyFiles.NewKeyAsync(_files.Root, "ed25519", 0, "alice@example.org");
        string weak = await SshKeyFiles.NewKeyAsync(_files.Root, "rsa", 1024, "old@example.org");
        IPage admin = await AdminPageAsync();
        await admin.GotoAsync("/keys");
        Assert.Contains("No keys yet", await admin.InnerTextAsync("main"), StringComparison.Ordinal);

        await admin.FillAsync("#Key", $"{good}\n{weak}");
        await admin.ClickAsync("button:has-text('Add keys')");
        Assert.Equal("line 2: RSA key of 1024 bits: at least 2048 are required (ssh-keygen -t ed25519 makes a better key)", (await admin.InnerTextAsync("#key-error")).Trim());
        Assert.Equal("true", await admin.GetAttributeAsync("#Key", "aria-invalid"));
        await UiBrowser.ScreenshotAsync(admin, "keys-bad-line");
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/keys"));

        await admin.FillAsync("#Key", good);
        await admin.ClickAsync("button:has-text('Add keys')");
        Assert.Matches(@"Key alice@example.org \(SHA256:\S+\) added\.", await admin.InnerTextAsync("[role=status]"));
        Assert.Contains("ED25519 256", await admin.InnerTextAsync("table"), StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(admin, "keys-added");

        string password = (await _appliance.CliAsync("users", "add", "keyviewer")).StandardOutput.Trim();
        IPage viewer = await _browser.NewPageAsync(_appliance.HttpBase);
        await UiBrowser.SignInAsync(viewer, "keyviewer", password);
        await viewer.GotoAsync("/keys");
        Assert.Contains("alice@example.org", await viewer.InnerTextAsync("table"), StringComparison.Ordinal);
        Assert.Equal(0, await viewer.Locator("main form, #Key").CountAsync());

        await admin.ClickAsync("button[aria-label='Remove key alice@example.org']");
        Assert.Contains("removed", await admin.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/keys"));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_RefusedAndNothingChanged()
    {
        int id = await CreateHostAsync();
        IPage admin = await AdminPageAsync();
        await admin.GotoAsync($"/hosts/{id}");
        int status = await admin.EvaluateAsync<int>(
            "async (id) => (await fetch(`/hosts/${id}?handler=Delete`, { method: 'POST', body: new URLSearchParams({ x: '1' }) })).status", id);
        Assert.Equal(400, status);
        Assert.Equal("web01", (await HostAsync(id)).Hostname);
        await UiBrowser.ScreenshotAsync(admin, "antiforgery-refused");
    }

    [Fact]
    public async Task HostPage_EditInPlace_ErrorNextToField_TextEscaped_DeleteAfterConfirmation()
    {
        int id = await CreateHostAsync();
        IPage page = await AdminPageAsync();
        await page.GotoAsync($"/hosts/{id}");
        await page.FillAsync("#Form_Gateway", "198.51.100.1");
        await page.FillAsync("#Form_Notes", "<script>window.injected = true</script><b>rack 4</b>");
        // An install setting: empty shows the site's value; a bad one is refused beside its field.
        Assert.Equal("site: Etc/UTC", await page.GetAttributeAsync("#Form_TimeZone", "placeholder"));
        await page.FillAsync("#Form_TimeZone", "Mars/Olympus");
        await page.ClickAsync("button:has-text('Save')");
        Assert.Equal("true", await page.GetAttributeAsync("#Form_Gateway", "aria-invalid"));
        Assert.Contains("192.0.2.0/24", await page.InnerTextAsync("#Form_Gateway ~ .field-error"), StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#Form_TimeZone", "aria-invalid"));
        Assert.Contains("not in the tz database", await page.InnerTextAsync("#Form_TimeZone ~ .field-error"), StringComparison.Ordinal);
        System.Text.Json.JsonElement unchanged = await _appliance.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/hosts/{id}");
        Assert.Equal("192.0.2.1", unchanged.GetProperty("gateway").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unchanged.GetProperty("settings").GetProperty("timeZone").ValueKind);

        await page.FillAsync("#Form_Gateway", "192.0.2.254");
        await page.FillAsync("#Form_TimeZone", "Europe/Berlin");
        await page.SelectOptionAsync("#Form_WipeDisks", "false");
        await page.ClickAsync("button:has-text('Save')");
        Assert.Equal("Saved.", await page.InnerTextAsync("[role=status]"));
        Assert.Equal("192.0.2.254", await page.InputValueAsync("#Form_Gateway"));
        Assert.Equal("Europe/Berlin", await page.InputValueAsync("#Form_TimeZone"));
        System.Text.Json.JsonElement saved = await _appliance.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/hosts/{id}");
        Assert.Equal("Europe/Berlin", saved.GetProperty("settings").GetProperty("timeZone").GetString());
        Assert.False(saved.GetProperty("settings").GetProperty("wipeDisks").GetBoolean());
        // What was typed is shown as text: no script ran, no element was made.
        Assert.Equal("<script>window.injected = true</script><b>rack 4</b>", await page.InputValueAsync("#Form_Notes"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        await UiBrowser.ScreenshotAsync(page, "host-edited");

        await page.ClickAsync("summary:has-text('Delete')");
        await UiBrowser.ScreenshotAsync(page, "host-delete-confirm");
        await page.ClickAsync("button:has-text('Delete web01')");
        await page.WaitForURLAsync("**/hosts");
        Assert.Equal("[]", await _appliance.Api.GetStringAsync("/api/hosts"));
    }

    [Fact]
    public async Task Account_ChangePassword_NewOneSignsIn_OldOneAndPasswordFileGone()
    {
        string initial = AdminPassword;
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/account");
        await page.FillAsync("#Current", initial);
        await page.FillAsync("#Password", "a new admin password");
        await page.FillAsync("#Repeat", "a new admin passworD");
        await page.ClickAsync("button:has-text('Change password')");
        Assert.Contains("differ", await page.InnerTextAsync("#Repeat ~ .field-error"), StringComparison.Ordinal);

        await page.FillAsync("#Current", initial);
        await page.FillAsync("#Password", "a new admin password");
        await page.FillAsync("#Repeat", "a new admin password");
        await page.ClickAsync("button:has-text('Change password')");
        Assert.Equal("Password changed.", await page.InnerTextAsync("[role=status]"));
        Assert.False(File.Exists(Path.Join(_appliance.DataDir, "initial-admin-password")));
        await UiBrowser.ScreenshotAsync(page, "account-changed");

        IPage other = await _browser.NewPageAsync(_appliance.HttpBase);
        await other.GotoAsync("/login");
        await other.FillAsync("#Name", "admin");
        await other.FillAsync("#Password", initial);
        await other.ClickAsync("button[type=submit]");
        Assert.Equal("Wrong user name or password.", await other.InnerTextAsync("[role=alert]"));
        await UiBrowser.SignInAsync(other, "admin", "a new admin password");
        Assert.EndsWith("/", other.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_PreviewForAHost_AndABrokenTemplateNamesFileAndLine()
    {
        await CreateHostAsync();
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/templates?file=preseed/debian12.liquid");
        await page.FillAsync("#host", "52-54-00-AA-00-01");
        await page.ClickAsync("button:has-text('Preview')");
        Assert.Equal("web01 (52:54:00:aa:00:01)", await page.InnerTextAsync("#host-hint"));
        Assert.Contains("d-i netcfg/get_hostname string web01", await page.InnerTextAsync("#preview-title + form + pre"), StringComparison.Ordinal);

        string broken = Path.Join(_appliance.TemplatesDir, "preseed", "debian12.liquid");
        await File.AppendAllTextAsync(broken, "\n{{ host.no_such_field }}\n");
        int lines = File.ReadAllLines(broken).Length;
        string? error = null;
        // Templates are re-read within a second of a change.
        for (int attempt = 0; attempt < 50 && error is null; attempt++)
        {
            await page.ReloadAsync();
            error = await page.Locator("[role=alert]").CountAsync() > 0 ? await page.InnerTextAsync("[role=alert]") : null;
            if (error is null)
            {
                await Task.Delay(200);
            }
        }
        Assert.NotNull(error);
        Assert.Contains($"preseed/debian12.liquid line {lines}", error, StringComparison.Ordinal);
        Assert.Contains("no_such_field", error, StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "templates-broken");
    }

    [Fact]
    public async Task EveryPage_NoCriticalAxeViolations_AndFitsAPhoneScreen()
    {
        int id = await CreateHostAsync();
        int group = (await (await _appliance.Api.PostAsJsonAsync("/api/groups", new { name = "rack-a", gateway = "192.0.2.1" })).Content.ReadFromJsonAsync<HostJson>())!.Id;
        string[] pages = ["/", "/hosts", $"/hosts/{id}", "/hosts/new", "/hosts/import", "/groups", $"/groups/{group}", "/discovered", "/dhcp", "/templates", "/keys", "/account", "/users", "/rack", $"/rack?group=rack-a", "/audit", "/mirror"];
        foreach ((int width, string label) in new[] { (1280, "desktop"), (390, "phone") })
        {
            IPage page = await AdminPageAsync(width);
            foreach (string path in pages)
            {
                await page.GotoAsync(path);
                List<string> critical = await UiBrowser.CriticalViolationsAsync(page);
                Assert.True(critical.Count == 0, $"{path} at {width}px: {string.Join("; ", critical)}");
                // Nothing sticks out sideways: the page scrolls only down (wide tables scroll inside their box).
                int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                Assert.True(overflow <= 0, $"{path} at {width}px is {overflow}px wider than the screen");
                await UiBrowser.ScreenshotAsync(page, $"page-{label}{path.Replace('/', '-').Replace('?', '-').Replace('=', '-').TrimEnd('-')}");
            }
        }
        IPage login = await _browser.NewPageAsync(_appliance.HttpBase, 390);
        await login.GotoAsync("/login");
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(login));
    }

    [GeneratedRegex("/build/([A-Za-z0-9_-]+)/preseed")]
    private static partial Regex TokenPattern();
}
