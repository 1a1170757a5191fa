using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Images;
using Provisioner.Core.Tests.Mirror;

namespace Provisioner.Core.Tests.Images;

/// <summary>
/// Builds that do not finish, with the real mmdebstrap, against a real HTTP archive on 127.0.0.1
/// (<see cref="TestArchive"/>): the version served stays, and no scratch tree is left. (A build that
/// succeeds needs Debian's archive: Provisioner.SystemTests' ImageBuildTests.)
/// </summary>
public sealed class ImageBuilderTests : IAsyncLifetime
{
    private const string Previous = "20260101T000000Z";
    private readonly string _root = Directory.CreateTempSubdirectory("provisioner-builder-").FullName;
    private TestArchive _archive = null!;
    private ImageStore _store = null!;

    public async Task InitializeAsync()
    {
        _archive = await TestArchive.StartAsync();
        _archive.Files["/debian/dists/bookworm/InRelease"] = "Origin: Debian\n"u8.ToArray();
        Directory.CreateDirectory(Path.Join(_root, "definitions"));
        File.WriteAllText(Path.Join(_root, "definitions", "debian12.json"), "{ \"suite\": \"bookworm\", \"packages\": [\"openssh-server\"] }");
        _store = new ImageStore(Path.Join(_root, "images"));
        string version = Directory.CreateDirectory(Path.Join(_store.Dir("debian12"), Previous)).FullName;
        File.WriteAllText(Path.Join(version, ImageManifest.FileName), System.Text.Json.JsonSerializer.Serialize(
            new ImageManifest("debian12", Previous, DateTimeOffset.UnixEpoch, "bookworm", "amd64", string.Empty, [], []), ImageStore.Json));
    }

    public async Task DisposeAsync()
    {
        await _archive.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_build_stopped_while_mmdebstrap_runs_is_interrupted_and_the_served_version_stays()
    {
        using var stop = new CancellationTokenSource();
        ImageBuildStatus status = await Builder(_archive.Uri.GetLeftPart(UriPartial.Authority)).BuildAsync("debian12", s =>
        {
            if (s.Step == "mmdebstrap")
            {
                stop.Cancel();
            }
        }, stop.Token);

        Assert.Equal(ImageBuildState.Interrupted, status.State);
        Assert.Equal("stopped", status.Message);
        AssertPreviousServed();
        Assert.Equal(ImageBuildState.Interrupted, _store.Status("debian12")!.State);
        Assert.Contains("== interrupted: stopped", File.ReadAllText(_store.LogFile("debian12")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_whose_mirror_does_not_answer_fails_saying_so_and_the_served_version_stays()
    {
        ImageBuildStatus status = await Builder("http://127.0.0.1:9").BuildAsync("debian12", null, default);

        Assert.Equal(ImageBuildState.Failed, status.State);
        Assert.StartsWith("the mirror at http://127.0.0.1:9/debian/dists/bookworm/InRelease does not answer (", status.Message, StringComparison.Ordinal);
        AssertPreviousServed();
    }

    [Fact]
    public async Task A_second_build_of_an_image_while_one_runs_is_refused()
    {
        using FileStream running = new(Path.Join(_store.Dir("debian12"), ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        ImageBuildException refused = await Assert.ThrowsAsync<ImageBuildException>(() => Builder("http://127.0.0.1:9").BuildAsync("debian12", null, default));
        Assert.StartsWith("a build of debian12 is already running", refused.Message, StringComparison.Ordinal);
    }

    private ImageBuilder Builder(string mirror) =>
        new(_store, Options.Create(new ImageOptions { Directory = Path.Join(_root, "definitions"), MirrorUrl = mirror }), TimeProvider.System, NullLogger<ImageBuilder>.Instance);

    private void AssertPreviousServed()
    {
        Assert.Equal(Previous, _store.Current("debian12")!.Version);
        Assert.Empty(Directory.GetDirectories(_store.Dir("debian12"), ".build-*"));
    }
}
