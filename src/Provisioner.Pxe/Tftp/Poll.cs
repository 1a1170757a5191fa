using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Provisioner.Pxe.Tftp;

/// <summary>poll(2) over an array of <c>struct pollfd</c>, whose layout is the same on every Linux.</summary>
internal static partial class Poll
{
    /// <summary>POLLIN: a datagram is waiting. Errors and hang-ups are reported whether asked for or not.</summary>
    public const short In = 0x001;

    private const int Interrupted = 4; // EINTR

    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        /// <summary>The descriptor; a negative one is skipped, which is how a free slot stays in the array.</summary>
        public int Fd;
        public short Events;
        public short Returned;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (0: do not wait); returns how many entries have <see cref="Entry.Returned"/> set.</summary>
    public static int Wait(Span<Entry> entries, int timeoutMilliseconds)
    {
        int count = NativePoll(ref MemoryMarshal.GetReference(entries), (nuint)entries.Length, timeoutMilliseconds);
        if (count >= 0)
        {
            return count;
        }
        int errno = Marshal.GetLastPInvokeError();
        // A signal (the runtime's own, or a debugger's) ends the wait early: that is an empty wait, not a fault.
        return errno == Interrupted ? 0 : throw new Win32Exception(errno, $"poll failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int NativePoll(ref Entry entries, nuint count, int timeout);
}
