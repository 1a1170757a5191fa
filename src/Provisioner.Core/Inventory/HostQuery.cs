namespace Provisioner.Core.Inventory;

/// <summary>A filter for the host list: free text over MAC, hostname and IP, plus state and profile.</summary>
public sealed record HostQuery(string? Search = null, BuildState? State = null, string? Profile = null);
