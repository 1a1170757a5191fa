using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;

namespace Provisioner.Core.Tests.Boot;

public sealed class BootFilesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("provisioner-bootfiles-");
    private readonly string _bootDir;
    private readonly string _fallbackDir;
    private readonly string _outside;
    private readonly string _netbootDir;

    public BootFilesTests()
    {
        _bootDir = Directory.CreateDirectory(Path.Join(_root.FullName, "boot")).FullName;
        _fallbackDir = Directory.CreateDirectory(Path.Join(_root.FullName, "syslinux")).FullName;
        _outside = Directory.CreateDirectory(Path.Join(_root.FullName, "outside")).FullName;
        File.WriteAllText(Path.Join(_outside, "secret"), "secret");
        File.WriteAllText(Path.Join(_bootDir, "linux"), "kernel");
        Directory.CreateDirectory(Path.Join(_bootDir, "pxelinux.cfg"));
        File.WriteAllText(Path.Join(_bootDir, "pxelinux.cfg", "default"), "DEFAULT local");
        File.WriteAllText(Path.Join(_fallbackDir, "ldlinux.c32"), "module");
        File.WriteAllText(Path.Join(_fallbackDir, "linux"), "shadowed");
        _netbootDir = Directory.CreateDirectory(Path.Join(_root.FullName, "netboot")).FullName;
        File.WriteAllText(Path.Join(_netbootDir, "linux"), "netboot kernel");
        File.WriteAllText(Path.Join(_netbootDir, "initrd.gz"), "netboot initrd");
        Directory.CreateDirectory(Path.Join(_bootDir, "debian12"));
        File.WriteAllText(Path.Join(_bootDir, "debian12", "initrd.gz"), "initrd in the boot dir");
    }

    public void Dispose() => _root.Delete(recursive: true);

    private BootFiles Files()
    {
        var options = new BootFileOptions { BootDir = _bootDir };
        options.FallbackDirs.Clear();
        options.FallbackDirs.Add(_fallbackDir);
        options.DirFallbacks.Clear();
        options.DirFallbacks["debian12"] = _netbootDir;
        return new BootFiles(Options.Create(options));
    }

    [Theory]
    [InlineData("debian12/linux", "netboot kernel")] // the boot dir lacks it: the package's
    [InlineData("/debian12/initrd.gz", "initrd in the boot dir")] // the boot dir's wins
    public void Find_ProfileFile_FromTheBootDirElseItsPackage(string requested, string content)
    {
        BootFileLookup lookup = Files().Find(requested);

        Assert.Equal(BootFileStatus.Found, lookup.Status);
        Assert.Equal(content, File.ReadAllText(lookup.FullPath));
    }

    [Theory]
    [InlineData("debian12/missing")]
    [InlineData("debian12/sub/linux")] // one level only
    [InlineData("ubuntu2004/linux")] // no package for it
    public void Find_ProfileFileNowhere_NotFound(string requested)
    {
        Assert.Equal(BootFileStatus.NotFound, Files().Find(requested).Status);
    }

    [Fact]
    public void Find_PackageSymlinkOutside_Denied()
    {
        File.CreateSymbolicLink(Path.Join(_netbootDir, "escape"), Path.Join(_outside, "secret"));

        Assert.Equal(BootFileStatus.Denied, Files().Find("debian12/escape").Status);
    }

    [Theory]
    [InlineData("linux", "kernel")]
    [InlineData("/pxelinux.cfg/default", "DEFAULT local")]
    [InlineData("ldlinux.c32", "module")] // from the fallback dir
    public void Find_ExistingFile_Found(string requested, string content)
    {
        BootFileLookup lookup = Files().Find(requested);

        Assert.Equal(BootFileStatus.Found, lookup.Status);
        Assert.Equal(content, File.ReadAllText(lookup.FullPath));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("pxelinux.cfg")] // a directory
    [InlineData("pxelinux.cfg/ldlinux.c32")] // fallbacks serve plain names only
    [InlineData("/etc/passwd")]
    public void Find_MissingFile_NotFound(string requested)
    {
        Assert.Equal(BootFileStatus.NotFound, Files().Find(requested).Status);
    }

    [Fact]
    public void Find_SymlinkToFileOutside_Denied()
    {
        File.CreateSymbolicLink(Path.Join(_bootDir, "escape"), Path.Join(_outside, "secret"));

        BootFileLookup lookup = Files().Find("escape");

        Assert.Equal(BootFileStatus.Denied, lookup.Status);
        Assert.Contains("symlink", lookup.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_SymlinkedDirectoryOutside_Denied()
    {
        Directory.CreateSymbolicLink(Path.Join(_bootDir, "etc"), _outside);

        Assert.Equal(BootFileStatus.Denied, Files().Find("etc/secret").Status);
    }

    [Fact]
    public void Find_SymlinkInsideBootDir_Found()
    {
        Directory.CreateDirectory(Path.Join(_bootDir, "debian"));
        File.CreateSymbolicLink(Path.Join(_bootDir, "debian", "linux"), Path.Join(_bootDir, "linux"));

        Assert.Equal(BootFileStatus.Found, Files().Find("debian/linux").Status);
    }

    [Fact]
    public void Find_TraversalPath_DeniedBeforeTouchingDisk()
    {
        Assert.Equal(BootFileStatus.Denied, Files().Find("../outside/secret").Status);
    }

    [Theory]
    [InlineData("images/debian12/20261204T030512Z/vmlinuz", "kernel of the image")]
    [InlineData("/images/debian12/20261204T030512Z/root.squashfs", "root of the image")]
    public void Find_ImageVersionFile_FromTheImageStore(string requested, string content)
    {
        BootFileLookup lookup = WithImages().Find(requested);

        Assert.Equal(BootFileStatus.Found, lookup.Status);
        Assert.Equal(content, File.ReadAllText(lookup.FullPath));
    }

    /// <summary>Only a version's three boot files: not its manifest, not a build under way, not the store's own files.</summary>
    [Theory]
    [InlineData("images/debian12/20261204T030512Z/manifest.json")]
    [InlineData("images/debian12/.build-20261204T040000Z/vmlinuz")]
    [InlineData("images/debian12/build.log")]
    [InlineData("images/debian12/20261204T030512Z/sub/vmlinuz")]
    [InlineData("images/debian12/20261101T000000Z/vmlinuz")]
    public void Find_AnythingElseOfTheImageStore_NotFound(string requested)
    {
        Assert.Equal(BootFileStatus.NotFound, WithImages().Find(requested).Status);
    }

    private BootFiles WithImages()
    {
        string store = Path.Join(_root.FullName, "images");
        string version = Directory.CreateDirectory(Path.Join(store, "debian12", "20261204T030512Z")).FullName;
        File.WriteAllText(Path.Join(version, "vmlinuz"), "kernel of the image");
        File.WriteAllText(Path.Join(version, "root.squashfs"), "root of the image");
        File.WriteAllText(Path.Join(version, "manifest.json"), "{}");
        string building = Directory.CreateDirectory(Path.Join(store, "debian12", ".build-20261204T040000Z")).FullName;
        File.WriteAllText(Path.Join(building, "vmlinuz"), "half built");
        File.WriteAllText(Path.Join(store, "debian12", "build.log"), "log");
        return new BootFiles(Options.Create(new BootFileOptions { BootDir = _bootDir }), new Provisioner.Core.Images.ImageStore(store));
    }
}
