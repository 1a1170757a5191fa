using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Capture;

/// <summary>
/// Live capture in a namespace pair this test creates (192.0.2.0/24, no route out), the way an
/// operator meets a new machine, captured on the veth that joins the client to the bridge: it PXE-DHCPs (busybox udhcpc against dnsmasq, with a PXE vendor
/// class) and shows up as discovered; registered from there and put in build mode, its next DHCP
/// is a build step, and the appliance, having learnt its IP from the capture, answers its generic
/// <c>/preseed</c> request with its preseed.
/// </summary>
[Trait("Category", "System")]
public sealed class CaptureTests : NamespaceTest
{
    private const string ClientMac = "02:00:00:00:00:42";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UnknownPxeClient_Discovered_RegisteredBuilt_ThenItsDhcpIsOnTheTimelineAndGenericPreseedFindsIt()
    {
        string site = Files.Dir("site");
        string token = (await NamespaceLab.CliAsync(site, "token", "create")).Trim();
        NetworkNamespace server = await Lab.CreateNamespaceAsync();
        NetworkNamespace client = await Lab.CreateNamespaceAsync();
        await NamespaceLab.WireClientAsync(server, client, ClientMac);
        Lab.Start(server, site, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "192.0.2.1:69", "--http", "http://192.0.2.1:8080", "--interface", "veth0"]);
        await NamespaceLab.WaitHealthyAsync(server, "http://192.0.2.1:8080");
        await Lab.StartDhcpServerAsync(server, site);
        // A UEFI PXE client as far as DHCP goes: vendor class with Arch 00007 (x86-64 EFI).
        string[] pxeDhcp = await NamespaceLab.PxeDhcpAsync(client, site, "PXEClient:Arch:00007:UNDI:003016");

        ProcessResult lease = await ProcessRunner.RunAsync("ip", pxeDhcp, TimeSpan.FromSeconds(60));
        Assert.True(lease.ExitCode == 0, lease.Output);
        await NamespaceLab.WaitForAsync(async () => (await ApiAsync(server, token, "/api/discovered")).StandardOutput.Contains(ClientMac, StringComparison.Ordinal), Limit, "the client on the discovered list");
        string listed = (await ApiAsync(server, token, "/api/discovered")).StandardOutput;
        Assert.Contains($"\"mac\":\"{ClientMac}\"", (await ApiAsync(server, token, "/api/bindings")).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"architecture\":\"x86-64 EFI\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"dhcpServer\":\"192.0.2.1\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"capture veth0\"", (await ApiAsync(server, token, "/healthz")).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"vendorClass\":\"PXEClient:Arch:00007:UNDI:003016\"", listed, StringComparison.Ordinal);

        ProcessResult registered = await ApiAsync(server, token, $"/api/discovered/{ClientMac}/register", "{\"hostname\":\"node42\",\"ip\":\"192.0.2.42/24\",\"dns\":[\"192.0.2.1\"]}");
        Assert.Contains("\"hostname\":\"node42\"", registered.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientMac, (await ApiAsync(server, token, "/api/discovered")).StandardOutput, StringComparison.Ordinal);
        await NamespaceLab.CliAsync(site, "hosts", "build", "node42");
        lease = await ProcessRunner.RunAsync("ip", pxeDhcp, TimeSpan.FromSeconds(60));
        Assert.True(lease.ExitCode == 0, lease.Output);

        ProcessResult preseed = await ProcessRunner.RunAsync("ip", client.Exec("curl", "-sS", "-f", "http://192.0.2.1:8080/preseed"), TimeSpan.FromSeconds(20));
        Assert.True(preseed.ExitCode == 0, preseed.Output);
        Assert.Contains("d-i netcfg/get_ipaddress string 192.0.2.42", preseed.StandardOutput, StringComparison.Ordinal);
        await NamespaceLab.WaitForAsync(async () => (await NamespaceLab.CliAsync(site, "hosts", "show", "node42")).Contains("capture  pending    PXE DHCP seen, arch x86-64 EFI", StringComparison.Ordinal), Limit, "the DHCP step on the timeline");
    }

    /// <summary>curl inside the server namespace, with the API token; a body makes it a POST.</summary>
    private static Task<ProcessResult> ApiAsync(NetworkNamespace server, string token, string path, string? json = null) =>
        ProcessRunner.RunAsync("ip", server.Exec(["curl", "-sS", "-H", $"Authorization: Bearer {token}",
            .. json is null ? Array.Empty<string>() : ["-H", "Content-Type: application/json", "-d", json], $"http://192.0.2.1:8080{path}"]), TimeSpan.FromSeconds(20));
}
