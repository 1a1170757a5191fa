using System.Text.Json;
using Provisioner.Core.Images;

namespace Provisioner.Core.Tests.Images;

public sealed class ImageStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_newest_version_with_a_manifest_is_served_and_pruning_keeps_the_newest()
    {
        var store = new ImageStore(_dir);
        Version("20261201T100000Z");
        Version("20261202T100000Z");
        Version("20261203T100000Z");
        // A build that stopped before its manifest: not an image, whatever its name says.
        Directory.CreateDirectory(Path.Join(_dir, "debian12", "20261204T100000Z"));
        Directory.CreateDirectory(Path.Join(_dir, "debian12", ".build-20261205T100000Z"));

        Assert.Equal("20261203T100000Z", store.Current("debian12")!.Version);
        Assert.Equal(["20261203T100000Z", "20261202T100000Z", "20261201T100000Z"], store.Versions("debian12").Select(v => v.Version));
        Assert.Equal(["20261201T100000Z"], store.Prune("debian12", 2));
        Assert.Equal(2, store.Versions("debian12").Count);
        Assert.Null(store.Current("other"));
    }

    [Fact]
    public void A_running_build_whose_process_is_gone_reads_as_interrupted()
    {
        var store = new ImageStore(_dir);
        var running = new ImageBuildStatus("debian12", "20261203T100000Z", ImageBuildState.Running, "squashfs", 75, null, DateTimeOffset.UnixEpoch, null, Environment.ProcessId);
        store.WriteStatus(running);
        Assert.Equal(ImageBuildState.Running, store.Status("debian12")!.State);
        store.WriteStatus(running with { ProcessId = int.MaxValue });
        Assert.Equal(ImageBuildState.Interrupted, store.Status("debian12")!.State);
        Assert.Null(store.Status("other"));
    }

    private void Version(string version)
    {
        string dir = Directory.CreateDirectory(Path.Join(_dir, "debian12", version)).FullName;
        var manifest = new ImageManifest("debian12", version, DateTimeOffset.UnixEpoch, "bookworm", "amd64", "quiet",
            [new ImageFile(ImageManifest.RootFile, 1, "00")], [new ImagePackage("openssh-server", "1:9.2p1-2")]);
        File.WriteAllText(Path.Join(dir, ImageManifest.FileName), JsonSerializer.Serialize(manifest, ImageStore.Json));
    }
}
