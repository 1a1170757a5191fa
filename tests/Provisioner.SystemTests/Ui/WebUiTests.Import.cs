using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>The Import page re-importing an edited file.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task Import_EditedFileWithUpdate_ChangesTheHostsItNames_AddsTheNewOne()
    {
        int id = await CreateHostAsync();
        IPage page = await AdminPageAsync();
        string file = Path.Join(_files.Root, "edited.txt");
        await File.WriteAllTextAsync(file, $"192.0.2.31|{Mac}|db01\n192.0.2.32|52:54:00:aa:00:32|db02\n");

        // Without "update" the registered MAC is a clash, and nothing lands.
        await page.GotoAsync("/hosts/import");
        await page.SetInputFilesAsync("#Upload", file);
        await page.ClickAsync("button:has-text('Import')");
        Assert.Contains("already belongs to host web01", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);

        await page.GotoAsync("/hosts/import");
        await page.SetInputFilesAsync("#Upload", file);
        await page.CheckAsync("#Update");
        await page.ClickAsync("button:has-text('Import')");
        Assert.Contains("Imported: 1 host(s) added, 1 updated", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        await UiBrowser.ScreenshotAsync(page, "import-update");
        HostJson changed = (await _appliance.Api.GetFromJsonAsync<HostJson>($"/api/hosts/{id}"))!;
        Assert.Equal("db01", changed.Hostname);
        Assert.Equal(2, (await _appliance.Api.GetFromJsonAsync<HostJson[]>("/api/hosts"))!.Length);
    }
}
