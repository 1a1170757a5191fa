using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Dhcp;
using Provisioner.Core.Hosting;
using Provisioner.Core.Tests.Support;
using Provisioner.Pxe.Dhcp;

namespace Provisioner.Core.Tests.Dhcp;

/// <summary>
/// The DHCP server's decisions over a real SQLite inventory and a fake clock: pool order, address
/// affinity, expiry and reuse, reservations, DECLINE and the probe's quarantine, RELEASE, and the
/// RFC 2131 REQUEST states. The probe is a scripted stand-in (which addresses "answer"); the real
/// ICMP probe and real clients are in the system tests.
/// </summary>
public sealed class DhcpAnswersTests : IAsyncLifetime
{
    private static readonly DhcpListenerInterface Br0 = new("br0", IPAddress.Parse("192.0.2.1"), 24);
    private TestInventory _inventory = null!;
    private readonly ScriptedProbe _probe = new();
    private DhcpAnswers _answers = null!;
    private LeaseBook _book = null!;
    private string _bootDir = null!;

    public async Task InitializeAsync()
    {
        _inventory = await TestInventory.CreateAsync();
        _bootDir = Directory.CreateDirectory(Path.Join(_inventory.Dir, "boot")).FullName;
        _answers = await CreateAsync();
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    /// <summary>A server as after a start: a new book read from the database (a restart is calling this again).</summary>
    private async Task<DhcpAnswers> CreateAsync()
    {
        var options = new DhcpServiceOptions { OfferHold = TimeSpan.FromMinutes(1), Quarantine = TimeSpan.FromHours(1), ProbeTimeout = TimeSpan.FromMilliseconds(10) };
        var subnet = new DhcpSubnetOptions { Subnet = "192.0.2.0/24", Router = "192.0.2.1", Domain = "lab.example", LeaseTime = TimeSpan.FromMinutes(10) };
        subnet.Ranges.Add("192.0.2.100-192.0.2.102");
        subnet.Dns.Add("192.0.2.1");
        options.Subnets.Add(subnet);
        Assert.Empty(DhcpSubnets.Problems(options));
        var identity = new ApplianceIdentity(Options.Create(new ApplianceOptions { Name = "rack1" }));
        _book = new LeaseBook(_inventory.Database, identity);
        await _book.LoadAsync(default);
        var boot = new PxeBootDecision(new BootFiles(Options.Create(new BootFileOptions { BootDir = _bootDir })), new ApplianceUrls(Options.Create(new ApplianceUrlOptions())),
            Options.Create(new ProxyDhcpPolicyOptions()), Options.Create(new BootChoiceOptions()), identity, NullLogger<PxeBootDecision>.Instance);
        return new DhcpAnswers(_book, DhcpSubnets.From(options), _inventory.Lookup, new ReservedAddresses(_inventory.Database, _inventory.Time), boot, _probe, Options.Create(options), _inventory.Time, NullLogger<DhcpAnswers>.Instance);
    }

    private static DhcpMessage Message(DhcpMessageType type, int client, IPAddress? requested = null, IPAddress? serverId = null, IPAddress? ciaddr = null, string? vendor = null) => new()
    {
        Op = 1,
        TransactionId = 0x1000u + (uint)client,
        ClientHardwareAddress = [0x02, 0, 0, 0, 0x23, (byte)client],
        ClientAddress = ciaddr ?? IPAddress.Any,
        YourAddress = IPAddress.Any,
        MessageType = type,
        RequestedAddress = requested,
        ServerIdentifier = serverId,
        VendorClass = vendor,
    };

    private async Task<DhcpReply?> AskAsync(DhcpMessage message) => await _answers.AnswerAsync(message, Br0, default);

    private static DhcpMessageType TypeOf(DhcpReply? reply) => reply is null ? DhcpMessageType.None : (DhcpMessageType)reply.Options[0].Value[0];

    private async Task<IPAddress> LeaseAsync(int client)
    {
        DhcpReply offer = (await AskAsync(Message(DhcpMessageType.Discover, client)))!;
        DhcpReply? ack = await AskAsync(Message(DhcpMessageType.Request, client, offer.YourAddress, Br0.Address));
        Assert.Equal(DhcpMessageType.Ack, TypeOf(ack));
        return ack!.YourAddress;
    }

    private static byte[]? Option(DhcpReply reply, byte code) => reply.Options.FirstOrDefault(o => o.Code == code).Value;

    [Fact]
    public async Task Discover_OffersTheLowestFreePoolAddress_WithTheSubnetsOptions_AndRequestBindsIt()
    {
        DhcpReply? offer = await AskAsync(Message(DhcpMessageType.Discover, 1));
        Assert.Equal(DhcpMessageType.Offer, TypeOf(offer));
        Assert.Equal("192.0.2.100", offer!.YourAddress.ToString());
        Assert.Equal([192, 0, 2, 1], Option(offer, 54));
        Assert.Equal([255, 255, 255, 0], Option(offer, 1));
        Assert.Equal([192, 0, 2, 1], Option(offer, 3));
        Assert.Equal(600u, BinaryPrimitives.ReadUInt32BigEndian(Option(offer, 51)));
        Assert.Equal(300u, BinaryPrimitives.ReadUInt32BigEndian(Option(offer, 58)));
        Assert.Equal(525u, BinaryPrimitives.ReadUInt32BigEndian(Option(offer, 59)));
        Assert.Equal("lab.example"u8.ToArray(), Option(offer, 15));
        Assert.Null(offer.BootFile);
        Assert.Equal(DhcpLeaseState.Offered, (await LeasesAsync()).Single().State);

        DhcpReply? ack = await AskAsync(Message(DhcpMessageType.Request, 1, offer.YourAddress, Br0.Address));
        Assert.Equal(DhcpMessageType.Ack, TypeOf(ack));
        DhcpLease lease = (await LeasesAsync()).Single();
        Assert.Equal((DhcpLeaseState.Bound, "02:00:00:00:23:01", "rack1"), (lease.State, lease.Mac, lease.Appliance));
        Assert.Equal(_inventory.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(10), lease.ExpiresAt);
    }

    [Fact]
    public async Task AClient_GetsItsAddressAgain_AfterReleaseAndAfterExpiry_AndOthersGetItOnlyWhenNothingNeverUsedIsLeft()
    {
        Assert.Equal("192.0.2.100", (await LeaseAsync(1)).ToString());
        Assert.Null(await AskAsync(Message(DhcpMessageType.Release, 1, ciaddr: IPAddress.Parse("192.0.2.100"))));
        Assert.Equal(DhcpLeaseState.Released, (await LeasesAsync()).Single().State);
        // Another client: the never-used .101, not the released .100.
        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("192.0.2.101", (await LeaseAsync(2)).ToString());
        // The first client again: its own .100.
        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("192.0.2.100", (await LeaseAsync(1)).ToString());
        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("192.0.2.102", (await LeaseAsync(3)).ToString());
        // Pool full: a fourth client gets nothing until leases expire; then the one that ended first (.101's).
        Assert.Null(await AskAsync(Message(DhcpMessageType.Discover, 4)));
        _inventory.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("192.0.2.101", (await LeaseAsync(4)).ToString());
    }

    [Fact]
    public async Task AnOfferNotTakenUp_IsHeldForOfferHold_ThenGoesToAnother()
    {
        Assert.Equal("192.0.2.100", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
        Assert.Equal("192.0.2.101", (await AskAsync(Message(DhcpMessageType.Discover, 2)))!.YourAddress.ToString());
        Assert.Equal("192.0.2.102", (await AskAsync(Message(DhcpMessageType.Discover, 3)))!.YourAddress.ToString());
        Assert.Null(await AskAsync(Message(DhcpMessageType.Discover, 4)));
        _inventory.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("192.0.2.100", (await AskAsync(Message(DhcpMessageType.Discover, 4)))!.YourAddress.ToString());
        // The first client's REQUEST for its lapsed offer is refused: the address is another's now.
        Assert.Equal(DhcpMessageType.Nak, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 1, IPAddress.Parse("192.0.2.100"), Br0.Address))));
    }

    [Fact]
    public async Task AClientChoosingAnotherServer_FreesTheOfferedAddressAtOnce()
    {
        Assert.Equal("192.0.2.100", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
        Assert.Null(await AskAsync(Message(DhcpMessageType.Request, 1, IPAddress.Parse("192.0.2.77"), IPAddress.Parse("192.0.2.2"))));
        Assert.Equal(DhcpLeaseState.Released, (await LeasesAsync()).Single().State);
    }

    [Fact]
    public async Task Leases_SurviveARestart_OfferThenRequest_AndInitReboot()
    {
        DhcpReply offer = (await AskAsync(Message(DhcpMessageType.Discover, 1)))!;
        _answers = await CreateAsync();
        Assert.Equal(DhcpMessageType.Ack, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 1, offer.YourAddress, Br0.Address))));
        Assert.Equal("192.0.2.101", (await LeaseAsync(2)).ToString());
        _answers = await CreateAsync();
        // INIT-REBOOT: no server identifier, the address it had.
        Assert.Equal(DhcpMessageType.Ack, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 2, IPAddress.Parse("192.0.2.101")))));
        Assert.Equal(DhcpMessageType.Nak, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 2, IPAddress.Parse("192.0.2.100")))));
        // A client this server has no record of stays unanswered (RFC 2131 §4.3.2).
        Assert.Null(await AskAsync(Message(DhcpMessageType.Request, 9, IPAddress.Parse("192.0.2.102"))));
        // RENEWING: ciaddr, nothing else.
        Assert.Equal(DhcpMessageType.Ack, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 1, ciaddr: IPAddress.Parse("192.0.2.100")))));
    }

    [Fact]
    public async Task Decline_QuarantinesTheAddress_ForTheQuarantineTime()
    {
        Assert.Equal("192.0.2.100", (await LeaseAsync(1)).ToString());
        Assert.Null(await AskAsync(Message(DhcpMessageType.Decline, 1, IPAddress.Parse("192.0.2.100"), Br0.Address)));
        DhcpLease quarantined = (await LeasesAsync()).Single();
        Assert.Equal(DhcpLeaseState.Quarantined, quarantined.State);
        Assert.Contains("declined by 02:00:00:00:23:01", quarantined.Reason, StringComparison.Ordinal);
        Assert.Equal("192.0.2.101", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
        // A DECLINE of an address that is not the client's changes nothing.
        Assert.Null(await AskAsync(Message(DhcpMessageType.Decline, 2, IPAddress.Parse("192.0.2.101"), Br0.Address)));
        Assert.Equal(DhcpLeaseState.Offered, (await LeasesAsync()).Single(l => l.Address == "192.0.2.101").State);
        // Asked for by name: not while quarantined, and again once the quarantine ends.
        Assert.Equal("192.0.2.102", (await AskAsync(Message(DhcpMessageType.Discover, 3, IPAddress.Parse("192.0.2.100"))))!.YourAddress.ToString());
        _inventory.Time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal("192.0.2.100", (await AskAsync(Message(DhcpMessageType.Discover, 4, IPAddress.Parse("192.0.2.100"))))!.YourAddress.ToString());
    }

    [Fact]
    public async Task AnAddressAnsweringTheProbe_IsQuarantined_AndTheNextIsOffered()
    {
        _probe.Answering.Add(IPAddress.Parse("192.0.2.100"));
        Assert.Equal("192.0.2.101", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
        DhcpLease quarantined = (await LeasesAsync()).Single(l => l.Address == "192.0.2.100");
        Assert.Equal(DhcpLeaseState.Quarantined, quarantined.State);
        Assert.Contains("answered a ping", quarantined.Reason, StringComparison.Ordinal);
        // The client's own address is not probed again when it asks again.
        _probe.Asked.Clear();
        Assert.Equal("192.0.2.101", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
        Assert.Empty(_probe.Asked);
    }

    [Fact]
    public async Task ARegisteredHost_GetsItsOwnAddressAndSettings_AndItsAddressIsNeverAnothersEvenInThePool()
    {
        await _inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Mac = "02:00:00:00:23:01", Dns = ["192.0.2.53", "192.0.2.54"] }, default);
        await _inventory.Hosts.CreateAsync(TestInventory.Sample(2) with { Mac = "02:00:00:00:23:02", Ip = "192.0.2.100/24" }, default);
        DhcpReply? offer = await AskAsync(Message(DhcpMessageType.Discover, 1, IPAddress.Parse("192.0.2.102")));
        Assert.Equal("192.0.2.11", offer!.YourAddress.ToString());
        Assert.Equal("web01"u8.ToArray(), Option(offer, 12));
        Assert.Equal("example.org"u8.ToArray(), Option(offer, 15));
        Assert.Equal([192, 0, 2, 53, 192, 0, 2, 54], Option(offer, 6));
        Assert.Null(_probe.Asked.FirstOrDefault());
        Assert.Equal(DhcpMessageType.Nak, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 1, IPAddress.Parse("192.0.2.102")))));
        Assert.Equal(DhcpMessageType.Ack, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 1, IPAddress.Parse("192.0.2.11"), Br0.Address))));
        // .100 is web02's, registered inside the pool: an unknown client gets .101, and asking for .100 does not change that.
        Assert.Equal("192.0.2.101", (await AskAsync(Message(DhcpMessageType.Discover, 7, IPAddress.Parse("192.0.2.100"))))!.YourAddress.ToString());
    }

    [Fact]
    public async Task ARegisteredHostsAddress_HeldByAnotherMachinesLease_IsNotGiven()
    {
        Assert.Equal("192.0.2.100", (await LeaseAsync(7)).ToString());
        await _inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Mac = "02:00:00:00:23:01", Ip = "192.0.2.100/24" }, default);
        Assert.Null(await AskAsync(Message(DhcpMessageType.Discover, 1)));
        // The other machine's renewal is refused (the address is registered to a host: seen once the pool's look-up is older than its reuse time),
        // and once its lease ends the host gets it.
        _inventory.Time.Advance(ReservedAddresses.Reuse);
        Assert.Equal(DhcpMessageType.Nak, TypeOf(await AskAsync(Message(DhcpMessageType.Request, 7, ciaddr: IPAddress.Parse("192.0.2.100")))));
        _inventory.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("192.0.2.100", (await AskAsync(Message(DhcpMessageType.Discover, 1)))!.YourAddress.ToString());
    }

    [Fact]
    public async Task UnknownNonPxeClients_AreIgnored_WhenTheSettingSaysSo_WhilePxeClientsGetAPoolAddress()
    {
        var options = new DhcpServiceOptions { UnknownClients = "ignore", ProbeTimeout = TimeSpan.Zero };
        var subnet = new DhcpSubnetOptions { Subnet = "192.0.2.0/24" };
        subnet.Ranges.Add("192.0.2.100-192.0.2.102");
        options.Subnets.Add(subnet);
        var identity = new ApplianceIdentity(Options.Create(new ApplianceOptions { Name = "rack1" }));
        var boot = new PxeBootDecision(new BootFiles(Options.Create(new BootFileOptions { BootDir = _bootDir })), new ApplianceUrls(Options.Create(new ApplianceUrlOptions())),
            Options.Create(new ProxyDhcpPolicyOptions()), Options.Create(new BootChoiceOptions()), identity, NullLogger<PxeBootDecision>.Instance);
        var answers = new DhcpAnswers(new LeaseBook(_inventory.Database, identity), DhcpSubnets.From(options), _inventory.Lookup, new ReservedAddresses(_inventory.Database, _inventory.Time), boot, _probe,
            Options.Create(options), _inventory.Time, NullLogger<DhcpAnswers>.Instance);
        Assert.Null(await answers.AnswerAsync(Message(DhcpMessageType.Discover, 1), Br0, default));
        DhcpReply? pxe = await answers.AnswerAsync(Message(DhcpMessageType.Discover, 2, vendor: "PXEClient:Arch:00000:UNDI:002001"), Br0, default);
        Assert.Equal("192.0.2.100", pxe!.YourAddress.ToString());
    }

    [Fact]
    public async Task ABuildingHostsPxeRom_GetsItsLoader_AndAUefiHttpBootClientAUrl()
    {
        File.WriteAllText(Path.Join(_bootDir, BootFileChoice.Pxelinux), "loader");
        File.WriteAllText(Path.Join(_bootDir, BootFileChoice.IpxeEfi), "ipxe");
        int id = (await _inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { Mac = "02:00:00:00:23:01" }, default)).Id;
        await _inventory.Tracker.RequestBuildAsync(id, "test", default);
        DhcpReply? offer = await AskAsync(Message(DhcpMessageType.Discover, 1, vendor: "PXEClient:Arch:00000:UNDI:002001"));
        Assert.Equal(BootFileChoice.Pxelinux, offer!.BootFile);
        Assert.Equal(Br0.Address, offer.ServerAddress);
        Assert.Equal("PXEClient"u8.ToArray(), Option(offer, 60));

        int other = (await _inventory.Hosts.CreateAsync(TestInventory.Sample(2) with { Mac = "02:00:00:00:23:02" }, default)).Id;
        await _inventory.Tracker.RequestBuildAsync(other, "test", default);
        DhcpMessage http = Message(DhcpMessageType.Discover, 2, vendor: "HTTPClient:Arch:00016:UNDI:003001") with { Architecture = DhcpClientArchitecture.X64UefiHttp };
        DhcpReply? httpOffer = await AskAsync(http);
        Assert.Equal("http://192.0.2.1:8080/boot/snponly.efi", httpOffer!.BootFile);
        Assert.Equal("HTTPClient"u8.ToArray(), Option(httpOffer, 60));
        // A plain client of a building host: an address, no boot file.
        Assert.Null((await AskAsync(Message(DhcpMessageType.Discover, 1)))!.BootFile);
    }

    private async Task<List<DhcpLease>> LeasesAsync() => await new DhcpLeaseList(_inventory.Database, Options.Create(new DhcpServerOptions()), Options.Create(new DhcpServiceOptions()), _inventory.Time).ListAsync(activeOnly: false, default);

    private sealed class ScriptedProbe : AddressProbe
    {
        public HashSet<IPAddress> Answering { get; } = [];

        public List<IPAddress> Asked { get; } = [];

        public override Task<bool> InUseAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Asked.Add(address);
            return Task.FromResult(Answering.Contains(address));
        }
    }
}
