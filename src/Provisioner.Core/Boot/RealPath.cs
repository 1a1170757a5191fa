using System.Runtime.InteropServices;

namespace Provisioner.Core.Boot;

/// <summary>libc realpath(3): every symlink in every component resolved, as the kernel would open it.</summary>
internal static partial class RealPath
{
    public static string? Resolve(string path)
    {
        nint resolved = NativeRealPath(path, 0);
        if (resolved == 0)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint NativeRealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(nint pointer);
}
