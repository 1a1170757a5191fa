using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Provisioner.SystemTests.Host;

/// <summary>
/// The projects' dependencies, as compiled: the protocols (Provisioner.Pxe) know nothing of ours,
/// so they could be lifted into another project as they are; the web side reaches the protocols
/// only through Core; only the host reads configuration keys.
/// </summary>
[Trait("Category", "System")]
public sealed class LayoutTests
{
    private static string[] OursReferencedBy(string assembly) =>
        [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Provisioner.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Protocols_ReferenceNothingOfOurs() => Assert.Empty(OursReferencedBy("Provisioner.Pxe"));

    [Fact]
    public void Core_ReferencesOnlyTheProtocols() => Assert.Equal(["Provisioner.Pxe"], OursReferencedBy("Provisioner.Core"));

    /// <summary>Its project references: value types such as MacAddress still come from the protocols, through Core.</summary>
    [Fact]
    public void Web_ReferencesOnlyCore()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "Provisioner.sln")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var project = System.Xml.Linq.XDocument.Load(Path.Join(dir.FullName, "src", "Provisioner.Web", "Provisioner.Web.csproj"));
        Assert.Equal([@"..\Provisioner.Core\Provisioner.Core.csproj"], project.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!));
    }

    /// <summary>
    /// Settings reach the libraries as typed options bound by the host (ApplianceSettings); a library
    /// that took an IConfiguration would read its own raw keys again.
    /// </summary>
    [Theory]
    [InlineData("Provisioner.Pxe")]
    [InlineData("Provisioner.Core")]
    [InlineData("Provisioner.Web")]
    public void Libraries_ReadNoConfigurationKeys(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(Assembly.Load(assembly).Location));
        MetadataReader metadata = pe.GetMetadataReader();
        string[] configurationTypes = [.. metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Where(type => metadata.GetString(type.Namespace) == "Microsoft.Extensions.Configuration")
            .Select(type => metadata.GetString(type.Name))];
        Assert.Empty(configurationTypes);
    }
}
