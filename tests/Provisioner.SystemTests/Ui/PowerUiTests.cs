using Microsoft.Playwright;
using Provisioner.SystemTests.Power;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// Power from the browser: a BMC set on the host page (the password never comes back in the page),
/// build and power-cycle from there, the power column of the host list (a silent BMC shown as not
/// answering, not as off), and a bulk power-off that names the selected host without a BMC. The
/// appliance, two <c>ipmi_sim</c> BMCs and a silent one, and Chromium all run in one namespace, on its loopback.
/// </summary>
[Trait("Category", "System")]
public sealed class PowerUiTests : NamespaceUiTest
{
    private const string HttpBase = "http://127.0.0.1:8080";
    private const string Password = "ui-Bmc-Secret-5";
    [Fact]
    public async Task BmcSetOnHostPage_BuildAndPowerCycle_PowerColumn_BulkOff_PasswordNeverInThePage()
    {
        string dir = Files.Dir("site");
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        string config = await IpmiPowerTests.ConfigAsync(dir, new { Power = new { SoftOffTimeout = "00:00:03", PollInterval = "00:00:02", RequestTimeout = "00:00:06" } });
        IpmiSimulator bmc = await IpmiSimulator.StartAsync(Lab, ns, Files.Dir("bmc"), "127.0.0.1", 6231, Password, vm: null);
        Lab.Start(ns, dir, "socat", "-u", "UDP-RECV:6232,bind=127.0.0.1", "OPEN:/dev/null");
        string secret = await IpmiPowerTests.SecretFileAsync(dir, "bmc", Password);
        var ids = new Dictionary<string, int>();
        foreach ((string name, int n) in new[] { ("node-a", 1), ("node-b", 2), ("node-c", 3) })
        {
            string added = await NamespaceLab.CliAsync(dir, "hosts", "add", "--mac", $"52:54:00:22:02:0{n}", "--hostname", name, "--ip", $"192.0.2.5{n}/24");
            ids[name] = int.Parse(added.Split(' ')[2].TrimEnd(':'), System.Globalization.CultureInfo.InvariantCulture);
        }
        await NamespaceLab.CliAsync(dir, "hosts", "bmc", "node-b", "--type", "ipmi", "--address", "127.0.0.1:6232", "--user", "admin", "--password-file", secret);
        // Build and power-cycle a host without a BMC: refused before anything changes (CLI, then API below).
        ProcessResult noBmc = await ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, ["hosts", "build", "node-a", "node-c", "--power-cycle", "--data-dir", "data", "--templates", InventoryAppliance.Templates],
            TimeSpan.FromMinutes(1), dir);
        Assert.Equal(1, noBmc.ExitCode);
        Assert.Contains("node-a has no BMC to power-cycle it", noBmc.StandardError, StringComparison.Ordinal);
        // Every host still idle: a header line and three hosts.
        Assert.Equal(4, (await NamespaceLab.CliAsync(dir, "hosts", "list", "--state", "idle")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        string token = (await NamespaceLab.CliAsync(dir, "token", "create")).Trim();
        Lab.Start(ns, dir, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", Files.Dir("boot"), "--templates", InventoryAppliance.Templates,
            "--tftp", "127.0.0.1:6969", "--http", HttpBase, "--syslog", "off", "--config", config]);
        await NamespaceLab.WaitHealthyAsync(ns, HttpBase);
        ProcessResult apiNoBmc = await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sS", "-w", "\n%{http_code}", "-X", "POST", "-H", $"Authorization: Bearer {token}",
            $"{HttpBase}/api/hosts/{ids["node-c"]}/build-and-power-cycle"), TimeSpan.FromSeconds(30));
        Assert.EndsWith("\n400", apiNoBmc.StandardOutput.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("no build was requested", apiNoBmc.StandardOutput, StringComparison.Ordinal);
        IPage page = await AdminPageAsync(ns, dir, HttpBase);

        await page.GotoAsync($"/hosts/{ids["node-a"]}");
        Assert.Contains("No BMC", await page.InnerTextAsync("#power"), StringComparison.Ordinal);
        await page.ClickAsync("summary:has-text('Set a BMC')");
        await page.SelectOptionAsync("#bmc-type", "ipmi");
        await page.FillAsync("#bmc-address", "127.0.0.1:6231");
        await page.FillAsync("#bmc-user", IpmiSimulator.User);
        await page.FillAsync("#bmc-password", Password);
        await page.ClickAsync("button:has-text('Set BMC')");
        await page.WaitForSelectorAsync("p.notice:has-text('BMC saved: ipmi 127.0.0.1:6231 as admin.')");
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await page.InputValueAsync("#bmc-password"));
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));

        await page.ClickAsync("button:has-text('Build and power-cycle')");
        await page.WaitForSelectorAsync("p.notice:has-text('Build requested; the BMC boots the host from the network once')");
        await ReloadUntilAsync(page, "#timeline", "power: powered on (it was off)");
        PxeSite.AssertInOrder(bmc.Requests, "set boot pxe", "set power 1");
        await ReloadUntilAsync(page, "#power", "on (read");
        Assert.Contains("build requested", await page.InnerTextAsync("#timeline"), StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "power-card");

        // The list: node-a on, node-b's silent BMC not answering (not "off"), node-c without a BMC.
        await page.GotoAsync("/hosts");
        await ReloadUntilAsync(page, "#host-table", "not answering");
        Assert.Equal("on", (await page.InnerTextAsync("tr:has-text('node-a') .badge-power-on")).Trim());
        Assert.Contains("did not answer", await page.GetAttributeAsync("tr:has-text('node-b') .badge-power-unknown", "title") ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("tr:has-text('node-c') [class*='badge-power']").CountAsync());
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));

        await page.CheckAsync($"#select-{ids["node-a"]}");
        await page.CheckAsync($"#select-{ids["node-c"]}");
        await page.ClickAsync("button:has-text('Power off selected')");
        await page.WaitForSelectorAsync("p.notice:has-text(\"Power off asked of 1 host(s)' BMCs: node-a\")");
        Assert.Contains("No BMC, so nothing asked: node-c.", await page.InnerTextAsync("p.alert"), StringComparison.Ordinal);
        await page.GotoAsync($"/hosts/{ids["node-a"]}");
        await ReloadUntilAsync(page, "#timeline", "power: powered off");
        Assert.Contains("set power 0", bmc.Requests, StringComparison.Ordinal);
    }

    /// <summary>Reloads until <paramref name="selector"/>'s text has <paramref name="text"/> (the poller and background actions change what the page shows).</summary>
    private static async Task ReloadUntilAsync(IPage page, string selector, string text)
    {
        await NamespaceLab.WaitForAsync(async () =>
        {
            await page.ReloadAsync();
            return (await page.InnerTextAsync(selector)).Contains(text, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), $"'{text}' in {selector} of {page.Url}");
    }
}
