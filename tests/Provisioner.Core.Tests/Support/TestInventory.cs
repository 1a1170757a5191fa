using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Network;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Tests.Support;

/// <summary>The inventory services over a real SQLite file in a fresh directory, with the shipped templates and a fake clock.</summary>
internal sealed class TestInventory : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-core-").FullName;

    private TestInventory()
    {
        Database = InventoryDatabase.Sqlite(Path.Join(_dir, "provisioner.db"));
        Templates = new TemplateStore(Options.Create(new TemplateStoreOptions { Directory = ShippedTemplates }), Time);
        Lookup = new HostDirectory(Database, Time);
        // Image profiles: a debian12 definition beside the templates, built versions in the data dir's image store.
        string definitions = Directory.CreateDirectory(Path.Join(_dir, "definitions")).FullName;
        File.WriteAllText(Path.Join(definitions, "debian12.json"), "{ \"suite\": \"bookworm\" }");
        Images = new Provisioner.Core.Images.ImageStore(Path.Join(_dir, "images"));
        var profiles = new Provisioner.Core.Deploy.ProfileCatalog(Templates, Options.Create(new Provisioner.Core.Images.ImageOptions { Directory = definitions }));
        var validator = new HostValidator(profiles);
        Hosts = new HostService(Database, validator, Lookup, Time);
        Groups = new HostGroupService(Database, new HostGroupValidator(profiles), validator, Lookup, Time);
        Writer = new TimelineWriter(Database, Lookup, Microsoft.Extensions.Logging.Abstractions.NullLogger<TimelineWriter>.Instance);
        Tracker = new BuildTracker(Database, Writer, Time);
        Bindings = new InMemoryIpMacBindings();
        var secrets = Options.Create(new PreseedOptions { RootPasswordHash = "$6$salt$hash" });
        Configs = new BootConfigs(Lookup, Templates, secrets, images: Images);
        Deployments = new Provisioner.Core.Deploy.Deployments(Lookup, Images, new Provisioner.Core.Access.SshKeys(Database, Time), secrets);
        Preseeds = new Preseeds(Lookup, Templates, Bindings, secrets);
        Resolver = new HostResolver(Bindings, Lookup, Database, Time);
        Facts = new BuildFactRecorder(new EventBus(), Tracker, Resolver, Lookup, Microsoft.Extensions.Logging.Abstractions.NullLogger<BuildFactRecorder>.Instance);
    }

    /// <summary>The repository's templates/, copied beside the tests.</summary>
    /// <summary>The fresh directory holding the database: a data dir.</summary>
    public string Dir => _dir;

    public static string ShippedTemplates => Path.Join(AppContext.BaseDirectory, "shipped-templates");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    public InventoryDatabase Database { get; }

    public HostDirectory Lookup { get; }

    public TemplateStore Templates { get; }

    public HostService Hosts { get; }

    public HostGroupService Groups { get; }

    public TimelineWriter Writer { get; }

    public BuildTracker Tracker { get; }

    public InMemoryIpMacBindings Bindings { get; }

    public BootConfigs Configs { get; }

    public Preseeds Preseeds { get; }

    public Provisioner.Core.Images.ImageStore Images { get; }

    public Provisioner.Core.Deploy.Deployments Deployments { get; }

    /// <summary>A built version of debian12 in <see cref="Images"/>: a manifest and small stand-ins for its files.</summary>
    public async Task<Provisioner.Core.Images.ImageManifest> AddImageVersionAsync(string version = "20261204T030512Z", long rootBytes = 302_000_000)
    {
        string dir = Directory.CreateDirectory(Path.Join(Images.Dir("debian12"), version)).FullName;
        var files = new List<Provisioner.Core.Images.ImageFile>();
        foreach (string name in new[] { "root.squashfs", "vmlinuz", "initrd.img" })
        {
            byte[] content = System.Text.Encoding.UTF8.GetBytes($"{name} of {version}");
            await File.WriteAllBytesAsync(Path.Join(dir, name), content);
            files.Add(new(name, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))));
        }
        var manifest = new Provisioner.Core.Images.ImageManifest("debian12", version, Time.GetUtcNow(), "bookworm", "amd64", "quiet", files, [], rootBytes);
        await File.WriteAllTextAsync(Path.Join(dir, "manifest.json"), System.Text.Json.JsonSerializer.Serialize(manifest, Provisioner.Core.Images.ImageStore.Json));
        return manifest;
    }

    public HostResolver Resolver { get; }

    /// <summary>Build tracking's consumer of the adapters' events, fed directly by the helpers below.</summary>
    public BuildFactRecorder Facts { get; }

    /// <summary>What the TFTP adapter does: renders a config and, once it went out, reports its transfer.</summary>
    public async Task<string?> ServeConfigAsync(string name, IPAddress peer, string baseUrl = "http://192.0.2.1:8080", BootLoader? loader = null, string protocol = "tftp")
    {
        loader ??= BootLoader.Pxelinux;
        string? config = await Configs.RenderAsync(loader, name, baseUrl, default);
        if (config is not null)
        {
            string path = (loader == BootLoader.Grub ? "/" : string.Empty) + loader.Description + name;
            await Facts.RecordAsync(new TransferCompleted(Time.GetUtcNow(), protocol, new IPEndPoint(peer, 49152), path, config.Length, TimeSpan.Zero), default);
        }
        return config;
    }

    /// <summary>What the preseed endpoint does: renders the token's preseed and, once it went out, reports it.</summary>
    public async Task<PreseedResult> FetchPreseedAsync(string token, IPAddress peer, string baseUrl = "http://192.0.2.1:8080")
    {
        PreseedResult result = await Preseeds.ForTokenAsync(token, baseUrl, default);
        if (result.Host is { } host)
        {
            await Facts.RecordAsync(new PreseedSent(Time.GetUtcNow(), host.Id, host.BuildToken, peer), default);
        }
        return result;
    }

    public static async Task<TestInventory> CreateAsync()
    {
        var inventory = new TestInventory();
        await inventory.Database.MigrateAsync(CancellationToken.None);
        return inventory;
    }

    public static HostFields Sample(int n = 1) => new()
    {
        Mac = $"aa:bb:cc:dd:ee:{n:x2}", Hostname = $"web{n:00}", Domain = "example.org", Ip = $"192.0.2.{10 + n}/24",
        Gateway = "192.0.2.1", Dns = ["192.0.2.53"], Profile = "debian12", Console = "ttyS1,115200n8",
    };

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
