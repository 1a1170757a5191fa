using System.Diagnostics;

namespace Provisioner.Core.Images;

/// <summary>What a tool run ended with: its exit code and its last lines (for the error message).</summary>
public sealed record ToolResult(int ExitCode, IReadOnlyList<string> LastLines, string StandardOutput);

/// <summary>
/// Runs one of Debian's tools (mmdebstrap, mksquashfs, dpkg-query) with its arguments as a list, never
/// through a shell; each output line goes to its callback as it comes. Cancelling asks the tool to stop
/// (SIGTERM: mmdebstrap then unmounts what it mounted in the new root and removes its temporary files),
/// and kills it and everything it started if it has not within <see cref="StopGrace"/>.
/// </summary>
public static partial class ToolProcess
{
    private const int KeptLines = 15;
    private const int SigTerm = 15;

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <param name="environment">More environment variables for the tool (a secret it reads from there rather than from its command line, which every user can see).</param>
    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, Action<string>? line, CancellationToken cancel,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Debian's tools speak English and plain ASCII to us, whatever the operator's locale.
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var last = new Queue<string>();
        var stdout = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        void Keep(string text, bool isOutput)
        {
            lock (last)
            {
                last.Enqueue(text);
                if (last.Count > KeptLines)
                {
                    last.Dequeue();
                }
                if (isOutput)
                {
                    stdout.AppendLine(text);
                }
            }
            line?.Invoke(text);
        }
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Keep(e.Data, true); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Keep(e.Data, false); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ToolResult(127, [$"{tool} could not be started: {ex.Message} (is its Debian package installed?)"], string.Empty);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = Kill(process.Id, SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        lock (last)
        {
            return new ToolResult(process.ExitCode, [.. last], stdout.ToString());
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
