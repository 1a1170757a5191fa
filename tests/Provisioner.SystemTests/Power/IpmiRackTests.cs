using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Power;

/// <summary>Power control of several hosts at once through real IPMI (ipmitool against <c>ipmi_sim</c>, no VMs), in a namespace the test creates.</summary>
[Trait("Category", "System")]
public sealed class IpmiRackTests : NamespaceTest
{
    private const string Password = "rack-Secret-42";

    /// <summary>
    /// Three hosts at once, the middle one's BMC a black hole (UDP in, nothing out): the other two are
    /// done before it gives up, the command says which one failed and why, and the appliance's poller
    /// shows it as not answering, not as off.
    /// </summary>
    [Fact]
    public async Task SeveralBmcs_OneNotAnswering_DelaysNoneOfTheOthers_AndIsShownAsNotAnswering()
    {
        string dir = Files.Dir("rack");
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        string config = await IpmiPowerTests.ConfigAsync(dir, new { Power = new { RequestTimeout = "00:00:10", PollInterval = "00:00:02" } });
        IpmiSimulator first = await IpmiSimulator.StartAsync(Lab, ns, Files.Dir("bmc-a"), "127.0.0.1", 6231, Password, vm: null);
        IpmiSimulator third = await IpmiSimulator.StartAsync(Lab, ns, Files.Dir("bmc-c"), "127.0.0.1", 6233, Password, vm: null);
        // The silent one: takes every datagram, answers none (no ICMP "port unreachable" either).
        Lab.Start(ns, dir, "socat", "-u", "UDP-RECV:6232,bind=127.0.0.1", "OPEN:/dev/null");
        string secret = await IpmiPowerTests.SecretFileAsync(dir, "bmc", Password);
        string[] names = ["rack-a", "rack-b", "rack-c"];
        for (int i = 0; i < names.Length; i++)
        {
            await NamespaceLab.CliAsync(dir, "hosts", "add", "--mac", $"52:54:00:22:01:0{i + 1}", "--hostname", names[i], "--ip", $"192.0.2.4{i + 1}/24");
            await NamespaceLab.CliAsync(dir, "hosts", "bmc", names[i], "--type", "ipmi", "--address", $"127.0.0.1:623{i + 1}", "--user", IpmiSimulator.User, "--password-file", secret);
        }
        ProcessResult cycle = await ProcessRunner.RunAsync("ip", ns.Exec([ApplianceProcess.BinaryPath, "hosts", "power", .. names, "cycle",
            "--data-dir", "data", "--templates", InventoryAppliance.Templates, "--config", config]), TimeSpan.FromMinutes(2), dir);
        Assert.Equal(1, cycle.ExitCode);
        Assert.Contains("host rack-a: powered on (it was off)", cycle.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("host rack-c: powered on (it was off)", cycle.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("host rack-b: power cycle failed: the BMC at 127.0.0.1:6232 did not answer", cycle.StandardError, StringComparison.Ordinal);
        Assert.Contains("set power 1", first.Requests, StringComparison.Ordinal);
        Assert.Contains("set power 1", third.Requests, StringComparison.Ordinal);
        // Asked at once: both good hosts were on before the silent one was given up (done one after the other, rack-c would come after it).
        DateTime failedAt = await EventAtAsync(dir, "rack-b", "power: cycle failed");
        Assert.True(await EventAtAsync(dir, "rack-a", "power: powered on") < failedAt);
        Assert.True(await EventAtAsync(dir, "rack-c", "power: powered on") < failedAt);

        string token = (await NamespaceLab.CliAsync(dir, "token", "create")).Trim();
        StartAppliance(ns, dir, config);
        await NamespaceLab.WaitHealthyAsync(ns, "http://127.0.0.1:8080");
        string readings = string.Empty;
        await NamespaceLab.WaitForAsync(async () =>
        {
            readings = (await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sSf", "-H", $"Authorization: Bearer {token}", "http://127.0.0.1:8080/api/power"), TimeSpan.FromSeconds(10))).StandardOutput;
            return readings.Contains("did not answer", StringComparison.Ordinal) && readings.Split("\"state\":\"on\"").Length == 3;
        }, TimeSpan.FromSeconds(90), "two hosts on and one not answering in /api/power");
        using JsonDocument parsed = JsonDocument.Parse(readings);
        JsonElement silent = parsed.RootElement.EnumerateArray().Single(r => r.GetProperty("error").ValueKind == JsonValueKind.String);
        Assert.Equal("unknown", silent.GetProperty("state").GetString());

        // The same through the API's bulk action: a result per host, in the order given; and /metrics counts them.
        int[] ids = [.. parsed.RootElement.EnumerateArray().Select(r => r.GetProperty("hostId").GetInt32()).Order()];
        ProcessResult bulk = await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sS", "-H", $"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
            "--data", JsonSerializer.Serialize(new { hosts = ids, action = "on" }), "http://127.0.0.1:8080/api/power"), TimeSpan.FromSeconds(90));
        using JsonDocument results = JsonDocument.Parse(bulk.StandardOutput);
        Assert.Equal([true, false, true], results.RootElement.EnumerateArray().Select(r => r.GetProperty("done").GetBoolean()));
        Assert.Equal("already on", results.RootElement[0].GetProperty("message").GetString());
        Assert.Contains("did not answer", results.RootElement[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        // One host's BMC that does not answer: 502, its reason in the problem's detail.
        ProcessResult one = await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sS", "-w", "\n%{http_code}", "-H", $"Authorization: Bearer {token}",
            $"http://127.0.0.1:8080/api/hosts/{ids[1]}/power"), TimeSpan.FromSeconds(60));
        Assert.EndsWith("\n502", one.StandardOutput.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("the BMC at 127.0.0.1:6232 did not answer", one.StandardOutput, StringComparison.Ordinal);
        IReadOnlyList<PrometheusSample> metrics = await PrometheusText.ParseAsync((await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sSf", "http://127.0.0.1:8080/metrics"), TimeSpan.FromSeconds(10))).StandardOutput);
        Assert.Equal(2, metrics.Value("provisioner_power_actions_total", ("action", "on"), ("result", "done")));
        Assert.Equal(1, metrics.Value("provisioner_power_actions_total", ("action", "on"), ("result", "failed")));
        Assert.Equal(2, metrics.Value("provisioner_power_hosts", ("state", "on")));
        Assert.Equal(1, metrics.Value("provisioner_power_hosts", ("state", "unknown")));
    }

    private void StartAppliance(NetworkNamespace ns, string dir, string config) =>
        Lab.Start(ns, dir, ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", Files.Dir("boot"), "--templates", InventoryAppliance.Templates,
            "--tftp", "127.0.0.1:6969", "--http", "http://127.0.0.1:8080", "--syslog", "off", "--config", config);

    private static async Task<DateTime> EventAtAsync(string dir, string host, string text)
    {
        using JsonDocument shown = JsonDocument.Parse(await NamespaceLab.CliAsync(dir, "hosts", "show", host, "--json"));
        return shown.RootElement.GetProperty("events").EnumerateArray()
            .First(e => e.GetProperty("message").GetString()!.StartsWith(text, StringComparison.Ordinal)).GetProperty("at").GetDateTime();
    }
}
