using Provisioner.Core.Inventory;

namespace Provisioner.Core.Tests.Support;

/// <summary>A profile catalog with a fixed list, for validation tests that need no templates on disk.</summary>
internal sealed class FixedProfiles(params string[] profiles) : IProfileCatalog
{
    public bool Exists(string profile) => profiles.Contains(profile);

    public IReadOnlyList<string> List() => profiles;
}
