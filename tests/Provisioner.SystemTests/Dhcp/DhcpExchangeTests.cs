using System.Net;
using System.Text;
using System.Text.Json;
using Provisioner.Pxe.Dhcp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// Exchanges no packaged client can be stopped in the middle of, written message by message
/// (<see cref="RawDhcpClient"/>): a restart between OFFER and REQUEST and between two clients'
/// leases, NAK, INFORM, and requests relayed from another subnet with option 82.
/// </summary>
[Trait("Category", "System")]
public sealed class DhcpExchangeTests : NamespaceTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly IPAddress Server = IPAddress.Parse(DhcpSite.ServerAddress);

    [Fact]
    public async Task RestartBetweenOfferAndRequest_AndBetweenTwoClientsLeases_LosesNothing_AndGivesNoAddressTwice()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        byte[] macA = RawDhcpClient.Mac("02:00:00:00:23:0a");
        byte[] macB = RawDhcpClient.Mac("02:00:00:00:23:0b");
        using RawDhcpClient a = RawDhcpClient.Open(await site.AddClientAsync("02:00:00:00:23:0a"));
        using RawDhcpClient b = RawDhcpClient.Open(await site.AddClientAsync("02:00:00:00:23:0b"));
        string token = (await NamespaceLab.CliAsync(site.Dir, "token", "create")).Trim();
        await site.StartAsync();

        RawDhcpClient.Reply? offer = await a.ExchangeAsync(macA, 0xa1, DhcpMessageType.Discover, [], Wait);
        Assert.NotNull(offer);
        Assert.Equal(DhcpMessageType.Offer, offer.Type);
        Assert.Equal("192.0.2.100", offer.YourAddress.ToString());
        Assert.Equal(Server, offer.Message.ServerIdentifier);

        // The server goes away between the OFFER and the REQUEST; the one that comes back knows the offer.
        await site.StopAsync();
        await site.StartAsync();
        RawDhcpClient.Reply? ack = await a.ExchangeAsync(macA, 0xa1, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.100")), (54, Server.GetAddressBytes())], Wait);
        Assert.Equal(DhcpMessageType.Ack, ack?.Type);
        Assert.Equal("192.0.2.100", ack!.YourAddress.ToString());
        Assert.Equal(120u, ack.NumberOption(51));
        Assert.Equal("255.255.255.0", ack.AddressOption(1)?.ToString());
        Assert.Equal("192.0.2.1", ack.AddressOption(3)?.ToString());

        // A second client, asking for the first one's address: it gets another.
        RawDhcpClient.Reply? offerB = await b.ExchangeAsync(macB, 0xb1, DhcpMessageType.Discover, [(50, RawDhcpClient.Address("192.0.2.100"))], Wait);
        Assert.Equal("192.0.2.101", offerB?.YourAddress.ToString());
        Assert.Equal(DhcpMessageType.Ack, (await b.ExchangeAsync(macB, 0xb1, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.101")), (54, Server.GetAddressBytes())], Wait))?.Type);

        await site.StopAsync();
        await site.StartAsync();
        // After the restart: each client's INIT-REBOOT for its own address is acknowledged; for the other's, a NAK.
        Assert.Equal(DhcpMessageType.Ack, (await a.ExchangeAsync(macA, 0xa2, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.100"))], Wait))?.Type);
        Assert.Equal(DhcpMessageType.Ack, (await b.ExchangeAsync(macB, 0xb2, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.101"))], Wait))?.Type);
        RawDhcpClient.Reply? nak = await a.ExchangeAsync(macA, 0xa3, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.101"))], Wait);
        Assert.Equal(DhcpMessageType.Nak, nak?.Type);
        Assert.Equal(IPAddress.Any, nak!.YourAddress);
        Assert.Equal("192.0.2.101 is not 02:00:00:00:23:0a's", nak.Text(56));
        // A REQUEST for an address of another network: NAK.
        Assert.Equal(DhcpMessageType.Nak, (await a.ExchangeAsync(macA, 0xa4, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.3.7"))], Wait))?.Type);

        JsonElement leases = await site.LeasesAsync(token);
        Assert.Equal(("02:00:00:00:23:0a", "bound"), DhcpSite.Lease(leases, "192.0.2.100"));
        Assert.Equal(("02:00:00:00:23:0b", "bound"), DhcpSite.Lease(leases, "192.0.2.101"));
        // No address twice, and no client with two addresses.
        List<JsonElement> bound = [.. leases.EnumerateArray().Where(l => l.GetProperty("state").GetString() == "bound")];
        Assert.Equal(bound.Count, bound.Select(l => l.GetProperty("address").GetString()).Distinct().Count());
        Assert.Equal(bound.Count, bound.Select(l => l.GetProperty("mac").GetString()).Distinct().Count());
    }

    /// <summary>INFORM (RFC 2131 §4.3.5): a client with an address configured by hand asks for the rest; the ACK carries options, no address and no lease time, unicast to it.</summary>
    [Fact]
    public async Task Inform_IsAnsweredWithOptions_NoAddressAndNoLeaseTime()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"));
        NetworkNamespace client = await site.AddClientAsync("02:00:00:00:23:0c");
        await ProcessRunner.RunCheckedAsync("ip", "-n", client.Name, "addr", "add", "192.0.2.77/24", "dev", "eth0");
        using RawDhcpClient raw = RawDhcpClient.Open(client, server: new IPEndPoint(Server, 67));
        await site.StartAsync();

        RawDhcpClient.Reply? ack = await raw.ExchangeAsync(RawDhcpClient.Mac("02:00:00:00:23:0c"), 0xc1, DhcpMessageType.Inform, [], Wait, ciaddr: IPAddress.Parse("192.0.2.77"));
        Assert.Equal(DhcpMessageType.Ack, ack?.Type);
        Assert.Equal(IPAddress.Any, ack!.YourAddress);
        Assert.Null(ack.Option(51));
        Assert.Equal("lab.example", ack.Text(15));
        Assert.Equal("192.0.2.1", ack.AddressOption(6)?.ToString());
        // Unicast to the client's own address (ciaddr), not broadcast.
        Assert.Equal(IPAddress.Parse("192.0.2.77"), ack.Message.ClientAddress);
    }

    /// <summary>
    /// A relay agent (RFC 1542, RFC 3046) on another subnet: its requests are answered for the subnet
    /// giaddr names, sent back to the relay's server port, with option 82 copied back unchanged.
    /// The appliance's network is 192.0.2.0/25; the relayed one 192.0.2.128/25.
    /// </summary>
    [Fact]
    public async Task RelayedRequests_AreAnsweredForTheRelaysSubnet_ToTheRelay_WithOption82Echoed()
    {
        var dhcp = new
        {
            ProbeTimeout = "00:00:00",
            OtherServerListen = "00:00:01",
            Subnets = new object[]
            {
                new { Subnet = "192.0.2.0/25", Ranges = new[] { "192.0.2.100-192.0.2.109" } },
                new { Subnet = "192.0.2.128/25", Ranges = new[] { "192.0.2.200-192.0.2.209" }, Router = "192.0.2.129", Dns = new[] { "192.0.2.1" }, LeaseTime = "00:10:00" },
            },
        };
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"), dhcp, prefixLength: 25);
        NetworkNamespace relay = await site.AddClientAsync("02:00:00:00:23:0d");
        await ProcessRunner.RunCheckedAsync("ip", "-n", relay.Name, "addr", "add", "192.0.2.2/25", "dev", "eth0");
        // The relay's address on the rack network it serves (on its loopback here: the test plays that network's clients).
        await ProcessRunner.RunCheckedAsync("ip", "-n", relay.Name, "addr", "add", "192.0.2.129/32", "dev", "lo");
        await ProcessRunner.RunCheckedAsync("ip", "-n", site.Server.Name, "route", "add", "192.0.2.128/25", "via", "192.0.2.2");
        using RawDhcpClient agent = RawDhcpClient.Open(relay, port: 67, server: new IPEndPoint(Server, 67));
        await site.StartAsync();

        byte[] mac = RawDhcpClient.Mac("02:00:00:00:23:e1");
        IPAddress giaddr = IPAddress.Parse("192.0.2.129");
        // Option 82: sub-option 1 (circuit id) "rack1-port7", sub-option 2 (remote id) 4 bytes.
        byte[] agentInfo = [1, 11, .. Encoding.ASCII.GetBytes("rack1-port7"), 2, 4, 0xde, 0xad, 0xbe, 0xef];
        RawDhcpClient.Reply? offer = await agent.ExchangeAsync(mac, 0xe1, DhcpMessageType.Discover, [(82, agentInfo)], Wait, giaddr: giaddr);
        Assert.Equal(DhcpMessageType.Offer, offer?.Type);
        Assert.Equal("192.0.2.200", offer!.YourAddress.ToString());
        Assert.Equal("255.255.255.128", offer.AddressOption(1)?.ToString());
        Assert.Equal("192.0.2.129", offer.AddressOption(3)?.ToString());
        Assert.Equal(600u, offer.NumberOption(51));
        Assert.Equal(agentInfo, offer.Option(82));
        Assert.Equal(giaddr, offer.Message.RelayAddress);
        Assert.Equal(67, offer.From.Port);

        RawDhcpClient.Reply? ack = await agent.ExchangeAsync(mac, 0xe1, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.200")), (54, Server.GetAddressBytes()), (82, agentInfo)], Wait, giaddr: giaddr);
        Assert.Equal(DhcpMessageType.Ack, ack?.Type);
        Assert.Equal(agentInfo, ack!.Option(82));
        // A NAK through a relay has the broadcast bit set, so the relay broadcasts it on the client's network (RFC 2131 §4.3.2).
        RawDhcpClient.Reply? nak = await agent.ExchangeAsync(mac, 0xe2, DhcpMessageType.Request, [(50, RawDhcpClient.Address("192.0.2.100"))], Wait, giaddr: giaddr);
        Assert.Equal(DhcpMessageType.Nak, nak?.Type);
        Assert.True(nak!.Broadcast);
    }
}
