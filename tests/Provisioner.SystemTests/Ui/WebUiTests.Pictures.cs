using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>Where people would rather look than read: the rack view's tiles and the dashboard's chart of build stages.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task RackView_200Hosts_TilesByState_LiveAndByGroup_AndTheDashboardChartsBuildStages()
    {
        await CreateGroupAsync("rack-a");
        var csv = new StringBuilder("mac,hostname,ip,group\n");
        for (int n = 1; n <= 200; n++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"52:54:00:cc:{n / 256:x2}:{n % 256:x2},node{n:000},192.0.2.{n + 9}/24,{(n <= 40 ? "rack-a" : "")}\n");
        }
        using (HttpResponseMessage imported = await _appliance.Api.PostAsync("/api/import?format=csv&gateway=192.0.2.1", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
        {
            Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        }
        Dictionary<string, int> ids = (await _appliance.Api.GetFromJsonAsync<JsonElement[]>("/api/hosts?limit=1000"))!
            .ToDictionary(h => h.GetProperty("hostname").GetString()!, h => h.GetProperty("id").GetInt32());
        foreach (string name in new[] { "node001", "node002", "node003" })
        {
            Assert.Equal(HttpStatusCode.OK, (await _appliance.Api.PostAsync($"/api/hosts/{ids[name]}/build", null)).StatusCode);
        }
        // node001's firmware fetched its boot config: it is booting, its boot files under way.
        await ProcessRunner.RunCheckedAsync("curl", "-sS", "-o", "/dev/null", $"tftp://127.0.0.1:{_appliance.Tftp}/pxelinux.cfg/01-52-54-00-cc-00-01");
        await WaitForStateAsync(ids["node001"], "booting");

        foreach (int width in new[] { 1280, 390 })
        {
            IPage page = await AdminPageAsync(width);
            await page.GotoAsync("/rack");
            Assert.Equal(200, await page.Locator("ul.rack a.tile").CountAsync());
            Assert.Equal(2, await page.Locator("a.tile-pending").CountAsync());
            Assert.Equal(1, await page.Locator("a.tile-booting").CountAsync());
            Assert.Contains("200 host(s): 197 idle, 2 pending, 1 booting", await page.InnerTextAsync("#rack-summary"), StringComparison.Ordinal);
            Assert.Equal("node001", await page.InnerTextAsync($"a.tile[href='/hosts/{ids["node001"]}'] .tile-name"));
            // Legible: no tile narrower than its name needs at this width, none off the screen.
            float widest = await page.EvaluateAsync<float>("() => Math.max(...[...document.querySelectorAll('a.tile')].map(t => t.getBoundingClientRect().right))");
            Assert.True(widest <= width, $"tiles reach {widest} px on a {width} px screen");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('.tile-name')].filter(n => n.scrollWidth > n.clientWidth + 1).length"));
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"rack-200-{width}");

            await page.GotoAsync("/");
            Assert.Equal(3, await page.Locator("svg.build-chart g.build").CountAsync());
            Assert.Equal(1, await page.Locator("svg.build-chart rect.stage-bootfiles.running").CountAsync());
            Assert.Contains("node001, booting: firmware", await page.TextContentAsync("svg.build-chart desc") ?? "", StringComparison.Ordinal);
            Assert.Equal(["node003", "node002", "node001"], await page.Locator("table.build-times tbody td:first-child").AllTextContentsAsync());
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"dashboard-chart-{width}");
        }

        // Live: a build requested elsewhere turns its tile without a reload; a group shows only its hosts.
        IPage live = await AdminPageAsync();
        await live.GotoAsync("/rack?group=rack-a");
        Assert.Equal(40, await live.Locator("ul.rack a.tile").CountAsync());
        await live.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");
        Assert.Equal(HttpStatusCode.OK, (await _appliance.Api.PostAsync($"/api/hosts/{ids["node040"]}/build", null)).StatusCode);
        await live.WaitForSelectorAsync($"a.tile-pending[href='/hosts/{ids["node040"]}']");
        Assert.Equal(0, await live.Locator($"a.tile[href='/hosts/{ids["node041"]}']").CountAsync());
        await live.ClickAsync($"a.tile[href='/hosts/{ids["node040"]}']");
        await live.WaitForURLAsync($"**/hosts/{ids["node040"]}");
    }

    private async Task WaitForStateAsync(int id, string state)
    {
        // The step arrives through the event bus a moment after the transfer: bounded, never the test's pass or fail by itself.
        for (int i = 0; i < 300 && (await HostAsync(id)).State != state; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(state, (await HostAsync(id)).State);
    }
}
