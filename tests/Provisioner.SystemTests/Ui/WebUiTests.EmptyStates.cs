using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>A new appliance's pages say what to do first, instead of showing empty tables.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task EmptyAppliance_PagesPointToAddImportAndInterface_AtDesktopAndPhoneWidth()
    {
        foreach (int width in new[] { 1280, 390 })
        {
            IPage page = await AdminPageAsync(width);
            await page.GotoAsync("/");
            Assert.Equal("No hosts yet", await page.InnerTextAsync("#start-title"));
            Assert.Equal(1, await page.Locator(".empty-state a[href='/hosts/new']").CountAsync());
            Assert.Equal(1, await page.Locator(".empty-state a[href='/hosts/import']").CountAsync());
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"empty-dashboard-{width}");

            await page.GotoAsync("/hosts");
            Assert.Contains("No hosts yet.", await page.InnerTextAsync("#host-table"), StringComparison.Ordinal);
            Assert.Equal("/hosts/new", await page.GetAttributeAsync("#host-table a:has-text('Add a host')", "href"));
            Assert.Equal("/hosts/import", await page.GetAttributeAsync("#host-table a:has-text('Import')", "href"));

            // This appliance captures nothing (no --interface): the page says so and how to turn it on.
            await page.GotoAsync("/discovered");
            string discovered = await page.InnerTextAsync("#discovered");
            Assert.Contains("Capture is off", discovered, StringComparison.Ordinal);
            Assert.Contains("--interface NAME", discovered, StringComparison.Ordinal);
            Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
            await UiBrowser.ScreenshotAsync(page, $"empty-discovered-{width}");
        }

        // Once there is a host, the list is a list again, and a filter that matches nothing says so.
        await CreateHostAsync();
        IPage again = await AdminPageAsync();
        await again.GotoAsync("/hosts?q=no-such-host");
        Assert.Equal("No hosts match.", (await again.InnerTextAsync("#host-table")).Trim());
        await again.GotoAsync("/");
        Assert.Equal(0, await again.Locator("#start-title").CountAsync());
    }
}
