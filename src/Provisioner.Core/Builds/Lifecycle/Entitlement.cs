namespace Provisioner.Core.Builds.Lifecycle;

/// <summary>Which boot config a registered host gets.</summary>
public enum BootConfigChoice
{
    /// <summary>Its profile's installer, carrying its build token.</summary>
    Installer,

    /// <summary>Boot the local disk.</summary>
    LocalBoot,
}

/// <summary>What a host may be served now: asked by the boot configs, preseeds, ProxyDHCP and the callbacks.</summary>
/// <param name="Config">Installer or local boot.</param>
/// <param name="Preseed">Its preseed through the URL with its build token.</param>
/// <param name="PreseedByAddress">Its preseed through the generic URL, which knows the host only by the requester's address.</param>
/// <param name="ProxyDhcp">ProxyDHCP answers it as a host to build (otherwise the site's rule for hosts not building applies).</param>
/// <param name="InstallerLog">Syslog lines from its address are filed under it (only while it installs here: a cancelled host's address may be reused).</param>
/// <param name="Callbacks">The installer callbacks its token is good for; any other answers 404 and changes nothing.</param>
public sealed record Entitlement(BootConfigChoice Config, bool Preseed, bool PreseedByAddress, bool ProxyDhcp, bool InstallerLog, IReadOnlySet<CallbackKind> Callbacks)
{
    public bool Accepts(CallbackKind kind) => Callbacks.Contains(kind);
}
