namespace Provisioner.Core.Builds;

/// <summary>
/// The percentages of a build's steps; <see cref="Lifecycle.BuildLifecycle"/> moves a build through them.
/// The percentages are what an operator needs to tell "stuck at the boot loader" from "nearly
/// done", not a time estimate: the installer's own steps (issue 6) fill the span 50–90.
/// </summary>
public static class BuildProgress
{
    public const string Waiting = "waiting for PXE boot";
    public const int DhcpSeen = 5;
    public const int BootLoaderTransferred = 10;
    public const int ConfigServed = 15;
    public const int FirstFileTransferred = 20;
    public const int LastFileTransferred = 35;
    public const int PreseedFetched = 45;
    public const int InstallerStarted = 50;
    public const int InstallerFinishing = 90;
    public const int Done = 100;
}
