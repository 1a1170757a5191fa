using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A socket that lives in a test's network namespace while the test process stays in its own: it
/// is created on a thread of its own that first joins the namespace (setns(2)); a socket belongs to
/// the namespace it was created in, whichever thread uses it after. For clients the tests write
/// themselves, where a tool cannot pause where the test needs it to.
/// </summary>
internal static class NamespaceSocket
{
    private const int CloneNewNet = 0x40000000;

    public static Socket Create(NetworkNamespace ns, Func<Socket> create)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle($"/var/run/netns/{ns.Name}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into {ns.Name}");
                }
                socket = create();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? socket! : throw new InvalidOperationException($"could not open a socket in {ns.Name}", failure);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNs(int fd, int nstype);
}
