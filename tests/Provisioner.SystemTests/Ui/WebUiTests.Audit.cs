using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>The audit page and the host timeline's actors; the first sign-in's prompt for one's own password.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task FirstSignIn_WithAPasswordSetByAnother_PromptsForOwn_UntilChanged()
    {
        string given = (await _appliance.CliAsync("users", "add", "newcomer")).StandardOutput.Trim();
        foreach (int width in new[] { 1280, 390 })
        {
            IPage page = await _browser.NewPageAsync(_appliance.HttpBase, width);
            await page.GotoAsync("/hosts");
            await SubmitSignInAsync(page, "newcomer", given);
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
            Assert.Equal("Choose your own password", await page.InnerTextAsync("#prompt-title"));
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"first-sign-in-{width}");
            // Not now: on to the page the user asked for.
            await page.ClickAsync("#later");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/hosts");
        }

        IPage again = await _browser.NewPageAsync(_appliance.HttpBase);
        await again.GotoAsync("/groups");
        await SubmitSignInAsync(again, "newcomer", given);
        await again.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
        await again.FillAsync("#Current", given);
        await again.FillAsync("#Password", given);
        await again.FillAsync("#Repeat", given);
        await again.ClickAsync("button:has-text('Change password')");
        Assert.Contains("must differ", await again.InnerTextAsync("#Password ~ .field-error"), StringComparison.Ordinal);
        Assert.Equal(1, await again.Locator("#prompt-title").CountAsync());
        await again.FillAsync("#Current", given);
        await again.FillAsync("#Password", "my very own password");
        await again.FillAsync("#Repeat", "my very own password");
        await again.ClickAsync("button:has-text('Change password')");
        await again.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/groups");

        IPage later = await _browser.NewPageAsync(_appliance.HttpBase);
        await SubmitSignInAsync(later, "newcomer", "my very own password");
        await later.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await later.GotoAsync("/account");
        Assert.Equal(0, await later.Locator("#prompt-title").CountAsync());
        await later.GotoAsync("/audit?target=newcomer");
        Assert.Contains("changed by the user", await later.InnerTextAsync("table.audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_NamesWhoDidWhat_PagesBack_AndTheTimelineSaysWhoAsked()
    {
        int id = await CreateHostAsync();
        for (int n = 2; n <= 55; n++)
        {
            await CreateHostAsync($"audit{n:00}", $"52:54:00:ab:00:{n:x2}", $"192.0.2.{n + 100}/24");
        }
        IPage page = await AdminPageAsync();
        await page.GotoAsync($"/hosts/{id}");
        await page.FillAsync("#Form_Notes", "moved to rack 7");
        await page.ClickAsync("button:has-text('Save')");
        await page.WaitForSelectorAsync("[role=status]");
        await page.ClickAsync("button:has-text('Build')");
        await page.WaitForSelectorAsync(".timeline .actor");
        string timeline = await page.InnerTextAsync(".timeline");
        Assert.Contains("by admin", timeline, StringComparison.Ordinal);
        Assert.Contains("host changed: notes: (none) → moved to rack 7", timeline, StringComparison.Ordinal);
        Assert.Contains("by token tests", timeline, StringComparison.Ordinal);

        using HttpResponseMessage api = await _appliance.Api.GetAsync("/api/audit?limit=1");
        int total = int.Parse(api.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(total, 57, 60); // 55 hosts added, one changed, one build; and the appliance's own start (the admin, the tests' token)
        foreach (int width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/audit");
            Assert.Contains($"{total} entries", await page.InnerTextAsync(".hint"), StringComparison.Ordinal);
            Assert.Equal(50, await page.Locator("table.audit tbody tr").CountAsync());
            string first = await page.InnerTextAsync("table.audit tbody tr:first-child");
            Assert.Contains("admin", first, StringComparison.Ordinal);
            Assert.Contains("build.request", first, StringComparison.Ordinal);
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"audit-{width}");
        }

        await page.ClickAsync("a:has-text('Older entries')");
        Assert.Equal(total - 50, await page.Locator("table.audit tbody tr").CountAsync());
        Assert.Contains("user.add", await page.InnerTextAsync("table.audit tbody tr:last-child"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("a:has-text('Older entries')").CountAsync());

        await page.GotoAsync("/audit");
        await page.FillAsync("#actor", "admin");
        await page.ClickAsync("button:has-text('Filter')");
        await page.WaitForURLAsync("**/audit?actor=admin*");
        Assert.Equal(["build.request", "host.edit"], await page.Locator("table.audit tbody td.mono").AllInnerTextsAsync());
        Assert.Equal($"/hosts/{id}", await page.GetAttributeAsync("table.audit tbody a", "href"));
    }

    /// <summary>The sign-in form filled and sent, without the helper's stepping past the password prompt.</summary>
    private static async Task SubmitSignInAsync(IPage page, string name, string password)
    {
        if (page.Url == "about:blank")
        {
            await page.GotoAsync("/login");
        }
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        await page.FillAsync("#Name", name);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
    }
}
