using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds;

/// <summary>
/// A build's current step and rough percentage, moved on by each step of the boot and install.
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

    /// <summary>A new build starts from nothing.</summary>
    public static void Restart(HostRecord host)
    {
        host.Step = Waiting;
        host.Progress = 0;
    }

    public static void Clear(HostRecord host)
    {
        host.Step = null;
        host.Progress = 0;
    }

    /// <summary>Moves to <paramref name="step"/> unless the build is already past it (a late retransmission, a repeated fetch).</summary>
    public static void Advance(HostRecord host, string step, int percent)
    {
        if (percent >= host.Progress)
        {
            host.Step = step;
            host.Progress = percent;
        }
    }

    /// <summary>
    /// Files before the boot config are the boot loader's (pxelinux.0, ldlinux.c32); after it, each
    /// installer file (kernel, initrd) moves the bar a little, up to the preseed.
    /// </summary>
    public static void FileTransferred(HostRecord host, string path)
    {
        int percent = host.Progress < ConfigServed ? BootLoaderTransferred
            : host.Progress < FirstFileTransferred ? FirstFileTransferred
            : Math.Min(host.Progress + 5, LastFileTransferred);
        Advance(host, $"{Path.GetFileName(path)} transferred", percent);
    }
}
