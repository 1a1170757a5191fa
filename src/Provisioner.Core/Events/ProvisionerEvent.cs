using System.Net;

namespace Provisioner.Core.Events;

/// <summary>Something that happened on the appliance that build tracking, the UI or alerts may care about.</summary>
public abstract record ProvisionerEvent(DateTimeOffset At);

/// <summary>A file transfer to a client over TFTP or HTTP, identified by the client's address.</summary>
public abstract record TransferEvent(DateTimeOffset At, string Protocol, IPEndPoint Peer, string Path, long Size) : ProvisionerEvent(At);

public sealed record TransferStarted(DateTimeOffset At, string Protocol, IPEndPoint Peer, string Path, long Size)
    : TransferEvent(At, Protocol, Peer, Path, Size)
{
    /// <summary>Bytes delivered so far, read on demand for progress displays; null when the protocol cannot tell.</summary>
    public Func<long>? BytesSent { get; init; }
}

/// <summary>A client asked for a file that is not there (TFTP file not found, HTTP 404): for build tracking, which cares when it is a building host's kernel or initrd.</summary>
public sealed record BootFileNotFound(DateTimeOffset At, string Protocol, IPEndPoint Peer, string Path) : ProvisionerEvent(At);

/// <summary>A host's record or timeline changed (created, edited, deleted, a build step): for live views.</summary>
public sealed record HostChanged(DateTimeOffset At, int HostId) : ProvisionerEvent(At);

public sealed record TransferCompleted(DateTimeOffset At, string Protocol, IPEndPoint Peer, string Path, long Size, TimeSpan Elapsed)
    : TransferEvent(At, Protocol, Peer, Path, Size);

public sealed record TransferFailed(DateTimeOffset At, string Protocol, IPEndPoint Peer, string Path, long Size, long BytesSent, string Reason)
    : TransferEvent(At, Protocol, Peer, Path, Size);

/// <summary>
/// Capture saw an IP claimed by a second MAC, or a MAC move to another IP: it may be a
/// misconfiguration (a duplicate static address, two DHCP servers).
/// </summary>
public sealed record BindingChanged(DateTimeOffset At, IPAddress Ip, string Mac, string Kind, string Message) : ProvisionerEvent(At);

/// <summary>
/// A build ended: <see cref="Inventory.BuildState.Installed"/>, or <see cref="Inventory.BuildState.Failed"/>
/// (the installer said so or stopped, the watchdog found it stalled, or the installed system never
/// reported its first boot); <paramref name="Before"/> is the state it ended from.
/// </summary>
public sealed record BuildEnded(DateTimeOffset At, int HostId, Inventory.BuildState State, string Source, string? Reason, Inventory.BuildState Before = Inventory.BuildState.Installing) : ProvisionerEvent(At)
{
    /// <summary>The watchdog ended a build that was under way (not one waiting for its first boot).</summary>
    public bool Stalled => State == Inventory.BuildState.Failed && Source == Inventory.EventSources.Watchdog && Inventory.BuildStates.IsBuilding(Before);
}

/// <summary>Capture saw a registered host's PXE ROM ask DHCP for a boot server (<paramref name="Mac"/> canonical).</summary>
public sealed record PxeDhcpObserved(DateTimeOffset At, string Mac, string Architecture) : ProvisionerEvent(At);

/// <summary>A host's preseed went out whole to <paramref name="Peer"/>; <paramref name="Token"/> is the build token it carried.</summary>
public sealed record PreseedSent(DateTimeOffset At, int HostId, string? Token, IPAddress Peer) : ProvisionerEvent(At);
