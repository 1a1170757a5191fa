using Microsoft.Extensions.Options;
using Provisioner.Core.Mirror;

namespace Provisioner.Core.Tests.Mirror;

public sealed class MirrorUpstreamsTests : IDisposable
{
    private readonly string _apt = Directory.CreateTempSubdirectory("provisioner-apt-").FullName;

    public void Dispose() => Directory.Delete(_apt, recursive: true);

    [Fact]
    public void Without_settings_the_archives_are_the_ones_apt_uses_named_by_their_path()
    {
        File.WriteAllText(Path.Join(_apt, "sources.list"), """
            # deb http://commented.example/debian bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://ftp.example.org/debian/ bookworm main
            deb-src http://ftp.example.org/debian bookworm main
            deb cdrom:[Debian GNU/Linux 12]/ bookworm main
            deb http://user:secret@private.example/debian bookworm main
            """);
        Directory.CreateDirectory(Path.Join(_apt, "sources.list.d"));
        File.WriteAllText(Path.Join(_apt, "sources.list.d", "debian.sources"), """
            Types: deb
            # http://snapshot.debian.org/archive/debian/20250520T000000Z
            URIs: http://deb.example.org/debian
            Suites: bookworm bookworm-updates
            Components: main

            Types: deb deb-src
            URIs: http://deb.example.org/debian-security
             https://security.example.org/debian-security
            Suites: bookworm-security

            Types: deb
            URIs: http://disabled.example/debian
            Enabled: no
            """);
        File.WriteAllText(Path.Join(_apt, "sources.list.d", "other.list.disabled-by-farm"), "deb http://ignored.example/x stable main\n");

        var upstreams = new MirrorUpstreams(Options.Create(new MirrorOptions { AptDir = _apt }));

        Assert.Equal(
            ["debian=http://ftp.example.org/debian/", "debian-2=http://deb.example.org/debian/", "debian-security=http://deb.example.org/debian-security/", "debian-security-2=https://security.example.org/debian-security/"],
            upstreams.All.Select(u => $"{u.Name}={u.Uri}"));
        Assert.EndsWith("sources.list", upstreams.Find("debian")!.From);
        Assert.EndsWith("debian.sources", upstreams.Find("debian-security")!.From);
    }

    [Fact]
    public void Settings_replace_apt_sources_and_bad_ones_are_named()
    {
        File.WriteAllText(Path.Join(_apt, "sources.list"), "deb http://ftp.example.org/debian bookworm main\n");
        var options = new MirrorOptions { AptDir = _apt, UpstreamProxy = "socks5://proxy:1080" };
        options.Upstreams["debian"] = "http://mirror.example.org/debian";
        options.Upstreams["../x"] = "ftp://mirror.example.org/debian";

        Assert.Equal(["../x=ftp://mirror.example.org/debian/", "debian=http://mirror.example.org/debian/"],
            MirrorUpstreams.Resolve(options).Select(u => $"{u.Name}={u.Uri}"));
        Assert.Equal(
        [
            "Mirror:Upstreams:../x: the name must be letters, digits, '.', '_', '-' or '+', not starting with '.'",
            "Mirror:Upstreams:../x is 'ftp://mirror.example.org/debian': it must be an archive's http(s) URL like http://deb.example.org/debian",
            "Mirror:UpstreamProxy is 'socks5://proxy:1080': it must be an HTTP proxy's URL like http://proxy.example.org:3128",
        ], MirrorUpstreams.Problems(options));
    }

    [Theory]
    [InlineData("pool/main/o/openssh/openssh-server_9.2p1-2+deb12u3_amd64.deb", true)]
    [InlineData("dists/bookworm/main/binary-amd64/by-hash/SHA256/0a1b", true)]
    [InlineData("dists/bookworm/InRelease", false)]
    [InlineData("dists/bookworm/main/binary-amd64/Packages.xz", false)]
    public void Pool_and_by_hash_files_are_immutable_index_files_are_not(string path, bool immutable)
    {
        Assert.True(MirrorPath.TryParse("debian", path, out MirrorPath? parsed, out _));
        Assert.Equal(immutable, parsed!.Immutable);
    }

    [Fact]
    public void Upstream_urls_escape_what_debian_file_names_carry()
    {
        Assert.True(MirrorPath.TryParse("debian", "pool/main/g/gcc/g++_1:12~rc1_amd64.deb", out MirrorPath? parsed, out _));
        Assert.Equal("http://a.example/debian/pool/main/g/gcc/g%2B%2B_1%3A12~rc1_amd64.deb", parsed!.UpstreamUri(new Uri("http://a.example/debian/")).AbsoluteUri);
    }
}
