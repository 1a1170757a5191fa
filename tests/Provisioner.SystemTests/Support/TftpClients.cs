namespace Provisioner.SystemTests.Support;

/// <summary>The real TFTP clients the appliance must serve, each as its command line.</summary>
internal static class TftpClients
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>tftp-hpa's client: no options at all, so always 512-byte blocks.</summary>
    public static Task<ProcessResult> TftpHpaAsync(int port, string remote, string local) =>
        ProcessRunner.RunAsync("tftp", ["-m", "binary", "127.0.0.1", $"{port}", "-c", "get", remote, local], Limit);

    public static Task<ProcessResult> AtftpAsync(int port, string remote, string local, int blockSize, int windowSize) =>
        ProcessRunner.RunAsync(
            "atftp",
            ["--option", $"blksize {blockSize}", "--option", $"windowsize {windowSize}", "-g", "-r", remote, "-l", local, "127.0.0.1", $"{port}"],
            Limit);

    public static Task<ProcessResult> CurlAsync(int port, string remote, string local, int blockSize) =>
        ProcessRunner.RunAsync("curl", ["-sS", "--max-time", "170", "--tftp-blksize", $"{blockSize}", "-o", local, $"tftp://127.0.0.1:{port}/{remote}"], Limit);

    public static Task<ProcessResult> BusyboxAsync(int port, string remote, string local, int blockSize) =>
        ProcessRunner.RunAsync("busybox", ["tftp", "-g", "-r", remote, "-l", local, "-b", $"{blockSize}", "127.0.0.1", $"{port}"], Limit);
}
