using Microsoft.Playwright;

namespace Provisioner.SystemTests.Ui;

/// <summary>The Templates page over the shipped templates.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task Templates_EveryShippedFile_PreviewsWithoutError_ForNoHostAndForAHost()
    {
        await CreateHostAsync();
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/templates");
        string[] files = [.. (await page.Locator("nav[aria-label='Template files'] a").AllInnerTextsAsync()).Select(f => f.Trim())];
        Assert.Contains("preseed/debian12.liquid", files);
        Assert.Contains("finish/default.liquid", files);
        foreach (string file in files)
        {
            foreach (string host in new[] { string.Empty, "web01" })
            {
                await page.GotoAsync($"/templates?file={Uri.EscapeDataString(file)}&host={host}");
                int errors = await page.Locator("[role=alert]").CountAsync();
                Assert.True(errors == 0, $"{file} for '{host}': {(errors > 0 ? await page.InnerTextAsync("[role=alert]") : "")}");
                Assert.NotEqual(string.Empty, (await page.InnerTextAsync("#preview-title + form + pre")).Trim());
            }
        }
    }
}
