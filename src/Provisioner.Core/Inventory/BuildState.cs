namespace Provisioner.Core.Inventory;

/// <summary>Where a host's build stands. Stored by name, so the order here can change.</summary>
public enum BuildState
{
    /// <summary>Registered; no build requested. Boots from local disk.</summary>
    Idle,

    /// <summary>A build was requested; the machine has not asked for its boot config yet.</summary>
    Pending,

    /// <summary>Its pxelinux config was served: the installer's kernel and initrd are on their way.</summary>
    Booting,

    /// <summary>The installer is running: it fetched its preseed or called back.</summary>
    Installing,

    /// <summary>The installer called back <c>finished</c>. Boots from local disk; its first boot from there is awaited.</summary>
    Installed,

    /// <summary>The installed system reported its first boot from its own disk (<c>booted</c>): done.</summary>
    Deployed,

    /// <summary>The installer called back <c>failed</c>, its log showed it stopped, or the build stalled.</summary>
    Failed,
}

public static class BuildStates
{
    /// <summary>States in which the host gets the installer rather than local boot.</summary>
    public static bool IsBuilding(this BuildState state) => state is BuildState.Pending or BuildState.Booting or BuildState.Installing;

    public static string Name(this BuildState state) => state.ToString().ToLowerInvariant();
}
