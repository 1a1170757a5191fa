using Provisioner.Core.Images;

namespace Provisioner.Core.Tests.Images;

public sealed class ImageDefinitionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_shipped_debian12_definition_reads_with_what_the_image_must_hold()
    {
        Assert.True(ImageDefinition.TryRead(Path.Join(AppContext.BaseDirectory, "shipped-images"), "debian12", out ImageDefinition? definition, out string? error), error);
        Assert.Equal("bookworm", definition!.Suite);
        Assert.Equal("amd64", definition.Architecture);
        Assert.Equal("debian", definition.Archive);
        Assert.Equal("debian-security", definition.SecurityArchive);
        foreach (string package in new[] { "linux-image-amd64", "grub-pc-bin", "grub-efi-amd64-bin", "openssh-server", "cloud-init", "live-boot" })
        {
            Assert.Contains(package, definition.Packages);
        }
    }

    [Theory]
    [InlineData("{ \"suite\": \"bookworm\", \"packages\": [\"Bad_Name\"] }", "'Bad_Name' is not a Debian package name")]
    [InlineData("{ \"suite\": \"../etc\" }", "suite '../etc' is not a suite name like bookworm")]
    [InlineData("{ \"suite\": \"bookworm\", \"archive\": \"a/b\" }", "'a/b' is not a plain component or archive name")]
    [InlineData("{ \"suite\": \"bookworm\", \"pakages\": [] }", "could not be mapped")]
    [InlineData("{ \"suite\": ", "")]
    public void A_definition_that_cannot_be_built_says_why(string json, string why)
    {
        File.WriteAllText(Path.Join(_dir, "bad.json"), json);
        Assert.False(ImageDefinition.TryRead(_dir, "bad", out _, out string? error));
        Assert.StartsWith(Path.Join(_dir, "bad.json") + ": ", error);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Equal(("bad", (ImageDefinition?)null, error), ImageDefinition.ReadAll(_dir).Single());
    }

    [Fact]
    public void Names_are_plain_and_a_missing_definition_is_named()
    {
        Assert.False(ImageDefinition.TryRead(_dir, "../x", out _, out string? error));
        Assert.Equal("'../x' is not an image name (letters, digits, '.', '_' and '-')", error);
        Assert.False(ImageDefinition.TryRead(_dir, "none", out _, out error));
        Assert.Equal($"no image definition {Path.Join(_dir, "none.json")}", error);
    }
}
