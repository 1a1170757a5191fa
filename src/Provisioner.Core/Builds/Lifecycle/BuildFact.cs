namespace Provisioner.Core.Builds.Lifecycle;

/// <summary>
/// Something that happened to one host's build, already tied to the host. The protocol adapters
/// report what they saw (a transfer, a DHCP packet, a callback); <see cref="BuildLifecycle"/>
/// decides what it means.
/// </summary>
public abstract record BuildFact;

/// <summary>An operator asked for a build (API, UI, CLI).</summary>
public sealed record BuildRequested : BuildFact;

/// <summary>An operator cancelled the build, or there was none to cancel.</summary>
public sealed record BuildCancelled : BuildFact;

/// <summary>Capture saw the host's PXE ROM ask DHCP for a boot server.</summary>
public sealed record PxeDhcpSeen(string Architecture) : BuildFact;

/// <summary>A boot config of the host's went out whole to <paramref name="Peer"/> (the transfer completed, not the render).</summary>
public sealed record ConfigTransferred(string Name, string Peer) : BuildFact;

/// <summary>Another file (boot loader, kernel, initrd) went out whole, or failed part-way: <paramref name="Message"/> says which.</summary>
public sealed record FileTransferred(string Path, bool Completed, string Message) : BuildFact;

/// <summary>The host's boot loader asked for a kernel or initrd the boot dir does not have: it stops there.</summary>
public sealed record KernelOrInitrdMissing(string Path) : BuildFact;

/// <summary>The host's preseed went out to <paramref name="Peer"/>.</summary>
public sealed record PreseedServed(string Peer) : BuildFact;

/// <summary>The installer's log says it moved to menu item <paramref name="Item"/>.</summary>
public sealed record InstallerStepSeen(string Item) : BuildFact;

/// <summary>The installer's log shows it stopped for good (a component failed, or a question nobody will answer): see <see cref="InstallerStopReader"/>.</summary>
public sealed record InstallerStopped(string Reason) : BuildFact;

/// <summary>The installer called back with the host's current build token; <paramref name="Message"/> is what it said, cleaned, or empty.</summary>
public sealed record CallbackReceived(CallbackKind Kind, string Message) : BuildFact;

/// <summary>A deploy agent reported the step it starts (<paramref name="Step"/>, cleaned) and how far along that puts the build.</summary>
public sealed record DeployStepReported(string Step, int Percent) : BuildFact;

/// <summary>The installed system did not report its first boot from disk within <paramref name="Timeout"/> of the install.</summary>
public sealed record FirstBootMissed(TimeSpan Timeout) : BuildFact;

/// <summary>The appliance asked the host's BMC for something (power on, off, cycle, PXE once), or heard back: <paramref name="Message"/> says what. Changes no state.</summary>
public sealed record PowerStepTaken(string Message) : BuildFact;

/// <summary>The watchdog found the build without progress for <paramref name="Timeout"/>.</summary>
public sealed record BuildStalled(TimeSpan Timeout) : BuildFact;
