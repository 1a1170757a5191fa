using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Capture;

/// <summary>
/// ProxyDHCP never answers a plain DHCP client. In a namespace pair this test creates (no DHCP
/// server at all), with the appliance's ProxyDHCP told to answer even unknown machines: a PXE
/// client's DISCOVER (busybox udhcpc with a PXE vendor class) gets an OFFER, ISC dhclient gets
/// nothing and ends without a lease.
/// </summary>
[Trait("Category", "System")]
public sealed class ProxyDhcpSafetyTests : NamespaceTest
{
    private const string ClientMac = "02:00:00:00:00:51";

    [Fact]
    public async Task PlainDhclient_GetsNoAnswer_WhilePxeClientGetsAnOffer()
    {
        string site = Files.Dir("site");
        NetworkNamespace server = await Lab.CreateNamespaceAsync();
        NetworkNamespace client = await Lab.CreateNamespaceAsync();
        await NamespaceLab.WireClientAsync(server, client, ClientMac);
        // Unknown machines are answered too here (the default is to ignore them), so silence below is the PXE check's doing.
        await File.WriteAllTextAsync(Path.Join(site, "appsettings.json"), """{ "ProxyDhcp": { "Unknown": "localboot" } }""");
        Func<string> log = Lab.Start(server, site, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "192.0.2.1:69", "--http", "http://192.0.2.1:8080", "--interface", "br0", "--proxy-dhcp"]);
        await NamespaceLab.WaitHealthyAsync(server, "http://192.0.2.1:8080");

        ProcessResult dhclient = await ProcessRunner.RunAsync("ip", client.Exec("timeout", "20", "dhclient", "-1", "-v", "-sf", "/bin/true",
            "-lf", Path.Join(site, "dhclient.leases"), "-pf", Path.Join(site, "dhclient.pid"), "eth0"), TimeSpan.FromSeconds(40));
        Assert.NotEqual(0, dhclient.ExitCode);
        Assert.Contains("DHCPDISCOVER on eth0", dhclient.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DHCPOFFER", dhclient.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ProxyDHCP Offer", log(), StringComparison.Ordinal);

        await ProcessRunner.RunAsync("ip", await NamespaceLab.PxeDhcpAsync(client, site, "PXEClient:Arch:00000:UNDI:002001"), TimeSpan.FromSeconds(30));
        await NamespaceLab.WaitForAsync(() => Task.FromResult(log().Contains("ProxyDHCP Offer to mac 020000000051", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "an OFFER to the PXE client");
        Assert.Contains("boot pxelinux.0", log(), StringComparison.Ordinal);
    }
}
