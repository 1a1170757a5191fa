using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// Linux eventfd(2): how other threads wake a <see cref="TftpEventLoop"/> sleeping in poll
/// (a new transfer to admit, or shutdown). Non-blocking: a signal never waits, a drain never blocks.
/// </summary>
internal sealed partial class EventFd : IDisposable
{
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;

    public EventFd()
    {
        Handle = NativeCreate(0, CloseOnExec | NonBlocking);
        if (Handle < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    public int Handle { get; }

    /// <summary>Makes the descriptor readable; signals before a drain coalesce into one wake-up.</summary>
    public void Signal()
    {
        ulong one = 1;
        _ = NativeWrite(Handle, ref one, sizeof(ulong));
    }

    public void Drain()
    {
        ulong count = 0;
        _ = NativeRead(Handle, ref count, sizeof(ulong));
    }

    public void Dispose() => _ = NativeClose(Handle);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int NativeClose(int fd);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int NativeCreate(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint NativeWrite(int fd, ref ulong value, nint length);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint NativeRead(int fd, ref ulong value, nint length);
}
