namespace Provisioner.Core.Inventory;

/// <summary>
/// A filter for the host list: free text over MAC, hostname and IP, plus state and profile;
/// <paramref name="Building"/> keeps only hosts whose build is under way (pending, booting, installing);
/// <paramref name="Group"/> only a group's hosts (by the group's name).
/// </summary>
public sealed record HostQuery(string? Search = null, BuildState? State = null, string? Profile = null, bool Building = false, string? Group = null);
