using System.Reflection;

namespace Provisioner.SystemTests.Host;

/// <summary>
/// The projects' dependencies, as compiled: the protocols (Provisioner.Pxe) know nothing of ours,
/// so they could be lifted into another project as they are; the web side reaches the protocols
/// only through Core.
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
}
