using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// The leases on PostgreSQL, with two appliances (two racks, each its own network) sharing one
/// inventory and, here, one pool range: an address is one machine's across both (the address is the
/// lease's key); an appliance that did not know of the other's lease learns it from the database
/// when its write is refused, and offers the next address at once. A restart keeps the leases.
/// </summary>
[Trait("Category", "System")]
public sealed class DhcpSharedPostgresTests : NamespaceTest
{
    [Fact]
    public async Task TwoAppliancesOnOnePostgres_NeverGiveOneAddressTwice_AndLeasesSurviveARestart()
    {
        await using TestDatabase database = TestDatabase.Postgres();
        DhcpSite rackA = await DhcpSite.CreateAsync(Lab, Files.Dir("rack-a"));
        DhcpSite rackB = await DhcpSite.CreateAsync(Lab, Files.Dir("rack-b"));
        NetworkNamespace a1 = await rackA.AddClientAsync("02:00:00:00:23:a1");
        NetworkNamespace a2 = await rackA.AddClientAsync("02:00:00:00:23:a2");
        NetworkNamespace b1 = await rackB.AddClientAsync("02:00:00:00:23:b1");
        string token = (await NamespaceLab.CliAsync(rackA.Dir, "token", "create", "--database", database.ConnectionString!)).Trim();
        string[] shared = ["--database", database.SocketConnectionString];

        await rackA.StartAsync([.. shared, "--appliance", "rack-a"]);
        Assert.Contains("DHCPACK of 192.0.2.100", (await DhcpClientTests.DhclientAsync(a1, rackA.Dir, Path.Join(rackA.Dir, "a1.leases"))).Output, StringComparison.Ordinal);
        // rack-b starts after: it reads rack-a's lease and gives its own client the next address.
        await rackB.StartAsync([.. shared, "--appliance", "rack-b"]);
        Assert.Contains("DHCPACK of 192.0.2.101", (await DhcpClientTests.DhclientAsync(b1, rackB.Dir, Path.Join(rackB.Dir, "b1.leases"))).Output, StringComparison.Ordinal);
        // rack-a has not heard of .101: its write is refused, it takes the database's row and offers .102 in the same answer.
        ProcessResult second = await DhcpClientTests.DhclientAsync(a2, rackA.Dir, Path.Join(rackA.Dir, "a2.leases"));
        Assert.Contains("DHCPOFFER of 192.0.2.102", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OFFER of 192.0.2.101", second.Output, StringComparison.Ordinal);

        JsonElement leases = await rackA.LeasesAsync(token);
        Assert.Equal(("02:00:00:00:23:a1", "bound"), DhcpSite.Lease(leases, "192.0.2.100"));
        Assert.Equal(("02:00:00:00:23:b1", "bound"), DhcpSite.Lease(leases, "192.0.2.101"));
        Assert.Equal(("02:00:00:00:23:a2", "bound"), DhcpSite.Lease(leases, "192.0.2.102"));
        Assert.Equal(["rack-a", "rack-b", "rack-a"], leases.EnumerateArray().Select(l => l.GetProperty("appliance").GetString()));

        // A restart: a1's REQUEST for its address (INIT-REBOOT, from its lease file) is acknowledged from the database's record.
        await rackA.StopAsync();
        await rackA.StartAsync([.. shared, "--appliance", "rack-a"]);
        ProcessResult again = await DhcpClientTests.DhclientAsync(a1, rackA.Dir, Path.Join(rackA.Dir, "a1.leases"));
        Assert.Contains("DHCPREQUEST for 192.0.2.100", again.Output, StringComparison.Ordinal);
        Assert.Contains("DHCPACK of 192.0.2.100", again.Output, StringComparison.Ordinal);
        IReadOnlyList<PrometheusSample> metrics = await PrometheusText.ParseAsync((await ProcessRunner.RunAsync("ip", rackA.Server.Exec("curl", "-sSf", $"{DhcpSite.Http}/metrics"), TimeSpan.FromSeconds(10))).StandardOutput);
        Assert.Equal(3, metrics.Value("provisioner_dhcp_leases", ("state", "bound")));
        Assert.Equal(7, metrics.Value("provisioner_dhcp_pool_free_addresses", ("subnet", "192.0.2.0/24")));
    }
}
