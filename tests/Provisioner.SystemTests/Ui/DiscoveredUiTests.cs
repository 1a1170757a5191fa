using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// Registering a discovered machine from the browser. The appliance captures on a veth in a
/// namespace pair this test creates (192.0.2.0/24, no route out); the unknown machine PXE-DHCPs
/// (busybox udhcpc against dnsmasq) and appears on the open Discovered page without a reload; the
/// operator registers it from the prefilled form. Chromium runs inside the server namespace (its
/// launcher enters it first), so it reaches the appliance at 192.0.2.1 and nothing else.
/// </summary>
[Trait("Category", "System")]
public sealed class DiscoveredUiTests : NamespaceUiTest
{
    private const string ClientMac = "02:00:00:00:00:43";
    private const string HttpBase = "http://192.0.2.1:8080";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    [Fact]
    public async Task UnknownMachinePxeBoots_AppearsLive_RegisteredFromPrefilledForm()
    {
        string site = Files.Dir("site");
        NetworkNamespace server = await Lab.CreateNamespaceAsync();
        NetworkNamespace client = await Lab.CreateNamespaceAsync();
        await NamespaceLab.WireClientAsync(server, client, ClientMac);
        Lab.Start(server, site, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "192.0.2.1:69", "--http", HttpBase, "--interface", "veth0"]);
        await NamespaceLab.WaitHealthyAsync(server, HttpBase);
        await Lab.StartDhcpServerAsync(server, site);
        IPage page = await AdminPageAsync(server, site, HttpBase);
        await page.GotoAsync("/discovered");
        Assert.Contains("No unknown machine has PXE-booted", await page.InnerTextAsync("#discovered"), StringComparison.Ordinal);
        await page.EvaluateAsync("() => window.notReloaded = true");
        await page.WaitForFunctionAsync("() => document.body.dataset.liveConnected === 'true'");

        // A BIOS PXE ROM as far as DHCP goes: vendor class with Arch 00000.
        ProcessResult lease = await ProcessRunner.RunAsync("ip", await NamespaceLab.PxeDhcpAsync(client, site, "PXEClient:Arch:00000:UNDI:002001"), TimeSpan.FromSeconds(60));
        Assert.True(lease.ExitCode == 0, lease.Output);

        await page.WaitForSelectorAsync($"#discovered h2:has-text('{ClientMac}')", new PageWaitForSelectorOptions { Timeout = (float)Limit.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        string card = await page.InnerTextAsync("#discovered .machine");
        Assert.Contains("Architecture\nBIOS", card, StringComparison.Ordinal);
        Assert.Contains("PXEClient:Arch:00000:UNDI:002001", card, StringComparison.Ordinal);
        Assert.Equal("node-000043", await page.InputValueAsync("#m-020000000043-Hostname"));
        Assert.Contains("arch BIOS", await page.InputValueAsync("#m-020000000043-Notes"), StringComparison.Ordinal);
        // The site's DHCP server's answer, seen by capture too, follows live.
        await page.WaitForSelectorAsync("#discovered dd:has-text('192.0.2.1')");
        await UiBrowser.ScreenshotAsync(page, "discovered-live");
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));

        // A refused address is shown next to its field; the machine stays listed.
        await page.FillAsync("#m-020000000043-Ip", "192.0.2.300/24");
        await page.ClickAsync("button:has-text('Register')");
        Assert.Contains("ip", await page.GetAttributeAsync("#m-020000000043-Ip", "aria-describedby") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty((await page.InnerTextAsync("#m-020000000043-Ip-error")).Trim());

        await page.FillAsync("#m-020000000043-Ip", "192.0.2.43/24");
        await page.FillAsync("#m-020000000043-Gateway", "192.0.2.1");
        await page.ClickAsync("button:has-text('Register')");
        await page.WaitForURLAsync(url => url.Contains("/hosts/", StringComparison.Ordinal));
        Assert.Equal(ClientMac, await page.InputValueAsync("#Form_Mac"));
        Assert.Equal("node-000043", await page.InputValueAsync("#Form_Hostname"));
        Assert.Equal("192.0.2.43/24", await page.InputValueAsync("#Form_Ip"));
        await UiBrowser.ScreenshotAsync(page, "discovered-registered");
        await page.GotoAsync("/discovered");
        Assert.DoesNotContain(ClientMac, await page.InnerTextAsync("#discovered"), StringComparison.Ordinal);
    }
}
