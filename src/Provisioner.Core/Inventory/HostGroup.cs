namespace Provisioner.Core.Inventory;

/// <summary>
/// A group of hosts, such as a rack: the network settings, profile, console and install settings its
/// hosts share. A host in a group takes each of these from it unless it sets its own
/// (<see cref="HostOverrides"/>); its record holds the merged values, worked out again whenever the
/// host or the group changes, so everything that serves a host reads one record.
/// </summary>
public sealed class HostGroup
{
    public int Id { get; set; }

    /// <summary>One lower-case DNS label, like <c>rack-a</c>; unique.</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    public string? Domain { get; set; }

    public string? Gateway { get; set; }

    public List<string> Dns { get; set; } = [];

    public string? Profile { get; set; }

    public string? Console { get; set; }

    public InstallSettings Settings { get; set; } = new();

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
