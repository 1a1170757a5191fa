using Microsoft.Playwright;
using Provisioner.SystemTests.Dhcp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// The DHCP page in the browser (Chromium in the appliance's namespace): after a registered host and
/// an unknown machine took leases with dhclient, it lists both (the host linked to its page), and the
/// pool's size and free addresses; every lease on record after a release.
/// </summary>
[Trait("Category", "System")]
public sealed class DhcpUiTests : NamespaceUiTest
{
    [Fact]
    public async Task DhcpPage_ListsLeasesAndPool_HostLinked_ReleasedOnlyUnderEveryLease()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace host = await site.AddClientAsync("02:00:00:00:23:31");
        NetworkNamespace stranger = await site.AddClientAsync("02:00:00:00:23:32");
        await NamespaceLab.CliAsync(site.Dir, "hosts", "add", "--mac", "02:00:00:00:23:31", "--hostname", "web-01", "--ip", "192.0.2.50/24");
        await site.StartAsync();
        await DhcpClientTests.DhclientAsync(host, site.Dir, Path.Join(site.Dir, "host.leases"));
        string strangerLeases = Path.Join(site.Dir, "stranger.leases");
        await DhcpClientTests.DhclientAsync(stranger, site.Dir, strangerLeases);

        IPage page = await AdminPageAsync(site.Server, site.Dir, DhcpSite.Http);
        await page.GotoAsync("/dhcp");
        string pools = await page.InnerTextAsync("section[aria-labelledby=pools-title]");
        Assert.Contains("192.0.2.0/24\t192.0.2.100-192.0.2.109\t10\t9", pools, StringComparison.Ordinal);
        string leases = await page.InnerTextAsync("#leases");
        Assert.Contains("192.0.2.50\t02:00:00:00:23:31\tweb-01\tbound", leases, StringComparison.Ordinal);
        Assert.Contains("192.0.2.100\t02:00:00:00:23:32", leases, StringComparison.Ordinal);
        Assert.Contains("unregistered", leases, StringComparison.Ordinal);
        await page.ClickAsync("#leases a:has-text('web-01')");
        await page.WaitForURLAsync("**/hosts/*");
        await page.GoBackAsync();
        Assert.Empty(await UiBrowser.CriticalViolationsAsync(page));
        await UiBrowser.ScreenshotAsync(page, "dhcp-leases");

        await ProcessRunner.RunAsync("ip", stranger.Exec("timeout", "20", "dhclient", "-r", "-sf", "/bin/true", "-lf", strangerLeases, "-pf", Path.Join(site.Dir, "r.pid"), "eth0"), TimeSpan.FromSeconds(40));
        await page.GotoAsync("/dhcp");
        await NamespaceLab.WaitForAsync(async () =>
        {
            await page.ReloadAsync();
            return !(await page.InnerTextAsync("#leases")).Contains("192.0.2.100", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the released lease gone from the leases held now");
        await page.ClickAsync("a:has-text('Every lease on record')");
        Assert.Contains("192.0.2.100\t02:00:00:00:23:32", await page.InnerTextAsync("#leases"), StringComparison.Ordinal);
        Assert.Contains("released, ended", await page.InnerTextAsync("#leases"), StringComparison.Ordinal);
    }
}
