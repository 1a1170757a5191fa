using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Network;
using Provisioner.Core.Boot;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Tests.Capture;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Boot;

public sealed class ObservationRecorderTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-capture-").FullName;
    private readonly InMemoryIpMacBindings _bindings = new();
    private readonly DiscoveredMachines _discovered = new();
    private readonly RecordingBus _bus = new();
    private InventoryDatabase _database = null!;
    private TimelineWriter _writer = null!;
    private HostService _hosts = null!;
    private BuildTracker _tracker = null!;
    private ObservationRecorder _recorder = null!;
    private BuildFactRecorder _facts = null!;

    public async Task InitializeAsync()
    {
        _database = InventoryDatabase.Sqlite(Path.Join(_dir, "provisioner.db"));
        await _database.MigrateAsync(default);
        var directory = new HostDirectory(_database, TimeProvider.System);
        _writer = new TimelineWriter(_database, directory, NullLogger<TimelineWriter>.Instance);
        _hosts = new HostService(_database, new HostValidator(new OneProfile()), directory, TimeProvider.System);
        _tracker = new BuildTracker(_database, _writer, TimeProvider.System);
        _recorder = new ObservationRecorder(_bindings, directory, _discovered, _bus, NullLogger<ObservationRecorder>.Instance);
        _facts = new BuildFactRecorder(_bus, _tracker, new HostResolver(_bindings, directory, _database, TimeProvider.System), directory, NullLogger<BuildFactRecorder>.Instance);
    }

    public async Task DisposeAsync()
    {
        _recorder.Dispose();
        _facts.Dispose();
        await _writer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task ReplayAsync(string fixture)
    {
        foreach ((byte[] frame, DateTimeOffset at) in PcapFixtures.Read(fixture))
        {
            if (FrameDecoder.TryDecode(frame, at, out Observation? observation))
            {
                await _recorder.RecordAsync(observation!, default);
            }
        }
    }

    [Fact]
    public async Task IpxeDhcp_UnknownMac_IsDiscoveredWithArchAndBoundToItsAddress()
    {
        await ReplayAsync("ipxe-dhcp.pcap");

        DiscoveredMachine machine = Assert.Single(_discovered.List());
        Assert.Equal("52:54:00:12:34:56", machine.Mac);
        Assert.Equal("BIOS", machine.Architecture);
        Assert.Equal("PXEClient:Arch:00000:UNDI:002001", machine.VendorClass);
        Assert.Equal(3, machine.Count); // two DISCOVERs and a REQUEST
        Assert.Equal("192.0.2.1", machine.DhcpServer);
        Assert.True(_bindings.TryGetMac(IPAddress.Parse(machine.Ip!), out MacAddress bound));
        Assert.Equal(machine.Mac, bound.ToString());
    }

    [Fact]
    public async Task IpxeDhcp_BuildingHost_IsATimelineStepNotADiscovery()
    {
        HostRecord host = await _hosts.CreateAsync(new HostFields { Mac = "52:54:00:12:34:56", Hostname = "web01", Ip = "192.0.2.10/24" }, default);
        await _tracker.RequestBuildAsync(host.Id, EventSources.Api, default);

        await ReplayAsync("ipxe-dhcp.pcap");
        // What the running appliance's bus does: the recorder publishes, build tracking consumes.
        foreach (Provisioner.Core.Events.ProvisionerEvent published in _bus.Published)
        {
            await _facts.RecordAsync(published, default);
        }
        await _tracker.FlushAsync();

        Assert.Empty(_discovered.List());
        List<HostEvent> timeline = await _tracker.TimelineAsync(host.Id, default);
        Assert.Equal(["build requested (debian12)", "PXE DHCP seen, arch BIOS"], timeline.Select(e => e.Message));
        Assert.Equal(EventSources.Capture, timeline[1].Source);
    }

    [Fact]
    public async Task UdhcpcDhcp_NotPxe_IsBoundButNotDiscovered()
    {
        await ReplayAsync("udhcpc-dhcp.pcap");

        Assert.Empty(_discovered.List());
        Assert.True(_bindings.TryGetMac(IPAddress.Parse("192.0.2.108"), out MacAddress mac));
        Assert.Equal("02:00:00:00:00:42", mac.ToString());
    }

    [Fact]
    public async Task Arp_SendersAreBound_ProbesAreNot()
    {
        await ReplayAsync("arp.pcap");

        Assert.True(_bindings.TryGetMac(IPAddress.Parse("192.0.2.42"), out MacAddress client));
        Assert.Equal("02:00:00:00:00:42", client.ToString());
        Assert.True(_bindings.TryGetMac(IPAddress.Parse("192.0.2.1"), out _));
        Assert.False(_bindings.TryGetMac(IPAddress.Any, out _));
    }

    [Fact]
    public async Task Arp_IpClaimedBySecondMac_IsLoggedAsAnEvent()
    {
        await ReplayAsync("arp.pcap");
        Assert.Empty(_bus.Published);

        await _recorder.RecordAsync(new ArpObservation(DateTimeOffset.UtcNow, Mac("02:00:00:00:00:99"), false, Mac("02:00:00:00:00:99"), IPAddress.Parse("192.0.2.42"), IPAddress.Parse("192.0.2.1")), default);
        await _recorder.RecordAsync(new ArpObservation(DateTimeOffset.UtcNow, Mac("02:00:00:00:00:99"), false, Mac("02:00:00:00:00:99"), IPAddress.Parse("192.0.2.77"), IPAddress.Parse("192.0.2.1")), default);

        Assert.Equal(["IpClaimedByAnotherMac", "MacMoved"], _bus.Published.OfType<Provisioner.Core.Events.BindingChanged>().Select(e => e.Kind));
        Assert.Contains("192.0.2.42 is claimed by 02:00:00:00:00:99 (ARP), last seen with 02:00:00:00:00:42", ((Provisioner.Core.Events.BindingChanged)_bus.Published[0]).Message, StringComparison.Ordinal);
    }

    /// <summary>Only an ACK from a server the appliance knows vouches for a binding; ARP or a claim by another MAC never does.</summary>
    [Fact]
    public async Task DhcpAck_VouchesOnlyFromATrustedServer_AndAnotherClaimTakesItAway()
    {
        var trusted = new ObservationRecorder(_bindings, new HostDirectory(_database, TimeProvider.System), _discovered, _bus, NullLogger<ObservationRecorder>.Instance,
            new Provisioner.Core.Network.DhcpServerTrust(Microsoft.Extensions.Options.Options.Create(Trusting("192.0.2.1")), TimeProvider.System));
        var strangerBindings = new InMemoryIpMacBindings();
        var stranger = new ObservationRecorder(strangerBindings, new HostDirectory(_database, TimeProvider.System), _discovered, _bus, NullLogger<ObservationRecorder>.Instance,
            new Provisioner.Core.Network.DhcpServerTrust(Microsoft.Extensions.Options.Options.Create(Trusting("192.0.2.254")), TimeProvider.System));
        var client = IPAddress.Parse("192.0.2.108");
        foreach ((byte[] frame, DateTimeOffset at) in PcapFixtures.Read("udhcpc-dhcp.pcap"))
        {
            if (FrameDecoder.TryDecode(frame, at, out Observation? observation))
            {
                await trusted.RecordAsync(observation!, default);
                await stranger.RecordAsync(observation!, default);
            }
        }

        Assert.True(_bindings.TryGetVouchedMac(client, out MacAddress vouched));
        Assert.Equal("02:00:00:00:00:42", vouched.ToString());
        // The same ACK, where 192.0.2.1 is not a server the appliance knows: bound, not vouched for.
        Assert.True(strangerBindings.TryGetMac(client, out _));
        Assert.False(strangerBindings.TryGetVouchedMac(client, out _));
        await trusted.RecordAsync(new ArpObservation(DateTimeOffset.UtcNow, Mac("02:00:00:00:00:99"), true, Mac("02:00:00:00:00:99"), client, IPAddress.Parse("192.0.2.1")), default);
        Assert.True(_bindings.TryGetMac(client, out MacAddress claimed));
        Assert.Equal("02:00:00:00:00:99", claimed.ToString());
        Assert.False(_bindings.TryGetVouchedMac(client, out _));
    }

    private static Provisioner.Core.Network.DhcpTrustOptions Trusting(string server)
    {
        var options = new Provisioner.Core.Network.DhcpTrustOptions();
        options.TrustedDhcpServers.Add(server);
        return options;
    }

    private static MacAddress Mac(string text) => MacAddress.TryParse(text, out MacAddress mac) ? mac : throw new FormatException(text);

    private sealed class RecordingBus : Provisioner.Core.Events.IEventBus
    {
        public List<Provisioner.Core.Events.ProvisionerEvent> Published { get; } = [];

        public void Publish(Provisioner.Core.Events.ProvisionerEvent published) => Published.Add(published);

        public IAsyncEnumerable<Provisioner.Core.Events.ProvisionerEvent> SubscribeAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class OneProfile : IProfileCatalog
    {
        public bool Exists(string profile) => profile == "debian12";

        public IReadOnlyList<string> List() => ["debian12"];
    }
}
