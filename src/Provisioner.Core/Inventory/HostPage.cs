namespace Provisioner.Core.Inventory;

/// <summary>The column the host list is ordered by; ties are broken by id, so pages never overlap.</summary>
public enum HostSort
{
    Hostname,
    Ip,
    Mac,
    State,
    Profile,
    Updated,
}

/// <summary>One page of the host list and how many hosts match the filter in all.</summary>
public sealed record HostPage(IReadOnlyList<HostRecord> Hosts, int Total)
{
    /// <summary>The largest page the API and the UI hand out: 1,000 hosts are about 700 KB of JSON.</summary>
    public const int MaxSize = 1000;
}
