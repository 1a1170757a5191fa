using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Metrics;
using Provisioner.Core.Mirror;

namespace Provisioner.Core.Tests.Mirror;

/// <summary>The mirror against a real HTTP archive on 127.0.0.1 (<see cref="TestArchive"/>), with its cache in a scratch data dir.</summary>
public sealed class PackageMirrorTests : IAsyncLifetime
{
    private const string Deb = "pool/main/h/hello/hello_2.10-3_amd64.deb";
    private const string InRelease = "dists/bookworm/InRelease";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("provisioner-mirror-").FullName;
    // From the real time on: the kernel also moves a file's access time when it is read, and the cache's
    // use order comes from those times after a restart.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<PackageMirror> _mirrors = [];
    private TestArchive _archive = null!;

    public async Task InitializeAsync()
    {
        _archive = await TestArchive.StartAsync();
        _archive.Files["/debian/" + Deb] = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        _archive.Files["/debian/" + InRelease] = "Origin: Debian\nSuite: stable\n"u8.ToArray();
    }

    public async Task DisposeAsync()
    {
        foreach (PackageMirror mirror in _mirrors)
        {
            mirror.Dispose();
        }
        await _archive.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Twenty_clients_at_once_make_one_upstream_download_and_each_streams_it_as_it_arrives()
    {
        PackageMirror mirror = NewMirror();
        _archive.HoldAfter = 1024 * 1024;
        byte[] expected = _archive.Files["/debian/" + Deb];

        MirrorAnswer[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => mirror.OpenAsync("debian", Deb, default)));
        Assert.All(answers, a => Assert.Equal(MirrorAnswerKind.Streaming, a.Kind));
        Assert.Single(answers.Select(a => a.Download).Distinct());
        Assert.All(answers, a => Assert.Equal(expected.Length, a.Length));
        var bodies = answers.Select(_ => new MemoryStream()).ToArray();
        long[] received = new long[answers.Length];
        Task[] copies = answers.Select((a, i) => a.Download!.CopyToAsync(bodies[i], n => Interlocked.Add(ref received[i], n), default)).ToArray();
        // Upstream is holding after 1 MiB: every client already has that much, so none waited for the whole file.
        await WaitUntilAsync(() => Enumerable.Range(0, received.Length).All(i => Interlocked.Read(ref received[i]) >= 1024 * 1024));
        Assert.All(copies, c => Assert.False(c.IsCompleted));
        _archive.Release.SetResult();
        await Task.WhenAll(copies);

        Assert.All(bodies, b => Assert.Equal(SHA256.HashData(expected), SHA256.HashData(b.ToArray())));
        Assert.Equal(1, _archive.Count("/debian/" + Deb));
        Assert.Equal(expected, File.ReadAllBytes(Path.Join(_dataDir, "mirror", "debian", Deb)));
        Assert.Equal(MirrorAnswerKind.Cached, (await mirror.OpenAsync("debian", Deb, default)).Kind);
        Assert.Equal(1, _archive.Count("/debian/" + Deb));
        Assert.Equal(20, mirror.Stats.Count(MirrorResult.Miss));
        Assert.Equal(1, mirror.Stats.Count(MirrorResult.Hit));
        Assert.Equal(expected.Length, mirror.Stats.Fetched);
    }

    [Fact]
    public async Task A_download_cut_short_leaves_no_cache_entry_and_the_next_request_fetches_again()
    {
        PackageMirror mirror = NewMirror();
        _archive.CutAfter = 1024 * 1024;

        MirrorAnswer first = await mirror.OpenAsync("debian", Deb, default);
        Assert.Equal(MirrorAnswerKind.Streaming, first.Kind);
        MirrorDownloadException cut = await Assert.ThrowsAsync<MirrorDownloadException>(() => first.Download!.CopyToAsync(new MemoryStream(), null, default));
        Assert.Contains("failed after", cut.Message);
        Assert.False(File.Exists(Path.Join(_dataDir, "mirror", "debian", Deb)));
        Assert.Empty(Directory.GetFiles(Path.Join(_dataDir, "mirror", ".partial")));
        Assert.NotNull(mirror.Stats.LastError);

        _archive.CutAfter = null;
        MirrorAnswer second = await mirror.OpenAsync("debian", Deb, default);
        var body = new MemoryStream();
        await second.Download!.CopyToAsync(body, null, default);
        Assert.Equal(_archive.Files["/debian/" + Deb], body.ToArray());
        Assert.Equal(2, _archive.Count("/debian/" + Deb));
    }

    [Fact]
    public async Task With_upstream_gone_cached_files_are_served_and_a_miss_fails_with_the_reason()
    {
        PackageMirror mirror = NewMirror();
        await ReadAllAsync(mirror, Deb);
        await ReadAllAsync(mirror, InRelease);
        await _archive.StopAsync();
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(MirrorAnswerKind.Cached, (await mirror.OpenAsync("debian", Deb, default)).Kind);
        MirrorAnswer index = await mirror.OpenAsync("debian", InRelease, default);
        Assert.Equal(MirrorAnswerKind.Cached, index.Kind);
        Assert.Contains("unreachable", index.Reason);
        Assert.Equal(1, mirror.Stats.Count(MirrorResult.Stale));
        MirrorAnswer miss = await mirror.OpenAsync("debian", "pool/main/o/other/other_1_all.deb", default);
        Assert.Equal(MirrorAnswerKind.Failed, miss.Kind);
        Assert.Contains("127.0.0.1 unreachable", miss.Reason);
        Assert.Equal(miss.Reason, mirror.Stats.LastError!.Reason);
    }

    [Fact]
    public async Task Index_files_are_asked_for_again_after_the_max_age_with_the_validators_upstream_gave()
    {
        PackageMirror mirror = NewMirror();
        Assert.Equal("Origin: Debian\nSuite: stable\n", await ReadAllAsync(mirror, InRelease));
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(MirrorAnswerKind.Cached, (await mirror.OpenAsync("debian", InRelease, default)).Kind);
        Assert.Equal(1, _archive.Count("/debian/" + InRelease));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(MirrorAnswerKind.Cached, (await mirror.OpenAsync("debian", InRelease, default)).Kind);
        Assert.Equal(1, mirror.Stats.Count(MirrorResult.Revalidated));
        Assert.NotEqual(string.Empty, _archive.Requests.Last().IfNoneMatch);

        _archive.Files["/debian/" + InRelease] = "Origin: Debian\nSuite: stable\nVersion: 12.9\n"u8.ToArray();
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("Origin: Debian\nSuite: stable\nVersion: 12.9\n", await ReadAllAsync(mirror, InRelease));
        Assert.Equal(3, _archive.Count("/debian/" + InRelease));
        // Pool files are never asked for twice.
        await ReadAllAsync(mirror, Deb);
        _time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(MirrorAnswerKind.Cached, (await mirror.OpenAsync("debian", Deb, default)).Kind);
        Assert.Equal(1, _archive.Count("/debian/" + Deb));
    }

    [Theory]
    [InlineData("debian", "../../etc/passwd")]
    [InlineData("debian", "dists/../../x")]
    [InlineData("debian", ".partial/x")]
    [InlineData("debian", "pool//x")]
    [InlineData("debian", "pool/a\\b")]
    [InlineData("debian", "")]
    [InlineData("..", "x")]
    public async Task Paths_outside_an_archive_are_refused_without_asking_upstream(string archive, string path)
    {
        PackageMirror mirror = NewMirror();
        MirrorAnswer answer = await mirror.OpenAsync(archive, path, default);
        Assert.Equal(MirrorAnswerKind.Refused, answer.Kind);
        Assert.Empty(_archive.Requests);
    }

    [Fact]
    public async Task Only_configured_archives_are_fetched_and_upstream_404_is_a_404()
    {
        PackageMirror mirror = NewMirror();
        MirrorAnswer other = await mirror.OpenAsync("ubuntu", "dists/focal/InRelease", default);
        Assert.Equal(MirrorAnswerKind.NotFound, other.Kind);
        Assert.Equal("no archive named 'ubuntu' (this mirror serves: debian)", other.Reason);
        MirrorAnswer missing = await mirror.OpenAsync("debian", "pool/main/n/nothing/nothing_1_all.deb", default);
        Assert.Equal(MirrorAnswerKind.NotFound, missing.Kind);
        Assert.Single(_archive.Requests);
        Assert.False(File.Exists(Path.Join(_dataDir, "mirror", "debian", "pool/main/n/nothing/nothing_1_all.deb")));
    }

    [Fact]
    public async Task The_cache_survives_a_restart_and_evicts_the_least_recently_used_files_over_its_cap()
    {
        string[] debs = ["pool/a_1.deb", "pool/b_1.deb", "pool/c_1.deb", "pool/d_1.deb"];
        foreach (string deb in debs)
        {
            _archive.Files["/debian/" + deb] = RandomNumberGenerator.GetBytes(1024 * 1024);
        }
        PackageMirror first = NewMirror(maxSize: 3L * 1024 * 1024 + 100);
        // Fetched without reading them: a read of the file after it is committed would set its access time
        // to the real clock (relatime), not this test's, and the order after the restart would be the machine's.
        foreach (string deb in debs[..3])
        {
            await FetchAsync(first, deb);
            _time.Advance(TimeSpan.FromHours(1));
        }
        first.Dispose();

        PackageMirror second = NewMirror(maxSize: 3L * 1024 * 1024 + 100);
        Assert.Equal(MirrorAnswerKind.Cached, (await second.OpenAsync("debian", debs[0], default)).Kind);
        _time.Advance(TimeSpan.FromHours(1));
        await FetchAsync(second, debs[3]);

        // a was used after b and c; b is the oldest use.
        Assert.False(File.Exists(Path.Join(_dataDir, "mirror", "debian", debs[1])));
        Assert.True(File.Exists(Path.Join(_dataDir, "mirror", "debian", debs[0])));
        Assert.True(File.Exists(Path.Join(_dataDir, "mirror", "debian", debs[2])));
        Assert.Equal(3L * 1024 * 1024, second.Cache.Size);
        Assert.All(debs.Select(d => _archive.Count("/debian/" + d)), n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_page_cached_where_a_directory_belongs_does_not_block_the_files_below_it()
    {
        _archive.Files["/debian/dists/bookworm"] = "<html>index of dists/bookworm</html>"u8.ToArray();
        PackageMirror mirror = NewMirror();
        Assert.Equal("<html>index of dists/bookworm</html>", await ReadAllAsync(mirror, "dists/bookworm"));
        Assert.Equal("Origin: Debian\nSuite: stable\n", await ReadAllAsync(mirror, InRelease));
        Assert.True(File.Exists(Path.Join(_dataDir, "mirror", "debian", InRelease)));
        Assert.Equal(_archive.Files["/debian/" + InRelease].Length, mirror.Cache.Size);
    }

    private PackageMirror NewMirror(long maxSize = MirrorOptions.DefaultMaxSize)
    {
        var options = new MirrorOptions { MaxSize = maxSize, UpstreamTimeout = TimeSpan.FromSeconds(10) };
        options.Upstreams["debian"] = _archive.Uri.ToString();
        var mirror = new PackageMirror(new MirrorUpstreams(Options.Create(options)), Options.Create(options),
            Options.Create(new StorageOptions { DataDir = _dataDir }), new MirrorStats(new ApplianceMetrics(), _time), _time, NullLogger<PackageMirror>.Instance);
        _mirrors.Add(mirror);
        return mirror;
    }

    private static async Task<string> ReadAllAsync(PackageMirror mirror, string path)
    {
        MirrorAnswer answer = await mirror.OpenAsync("debian", path, default);
        if (answer.Kind == MirrorAnswerKind.Cached)
        {
            return await File.ReadAllTextAsync(answer.File!.FullPath);
        }
        Assert.Equal(MirrorAnswerKind.Streaming, answer.Kind);
        var body = new MemoryStream();
        await answer.Download!.CopyToAsync(body, null, default);
        await answer.Download.Finished;
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    /// <summary>Has the mirror fetch <paramref name="path"/> into its cache, with no client reading it.</summary>
    private static async Task FetchAsync(PackageMirror mirror, string path)
    {
        MirrorAnswer answer = await mirror.OpenAsync("debian", path, default);
        Assert.Equal(MirrorAnswerKind.Streaming, answer.Kind);
        await answer.Download!.Finished;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }
}
