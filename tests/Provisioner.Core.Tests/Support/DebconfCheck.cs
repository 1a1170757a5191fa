using System.Diagnostics;

namespace Provisioner.Core.Tests.Support;

/// <summary>
/// Debian's own preseed parser: <c>debconf-set-selections --checkonly</c> (package debconf, installed by
/// test.sh) reads a preseed file as d-i will and exits non-zero naming each line it cannot parse.
/// </summary>
internal static class DebconfCheck
{
    /// <summary>The tool's exit code and what it printed, for <paramref name="preseed"/>'s text.</summary>
    public static (int ExitCode, string Output) Run(string preseed)
    {
        string file = Path.Join(Path.GetTempPath(), $"preseed-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(file, preseed);
        try
        {
            var start = new ProcessStartInfo("debconf-set-selections") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--checkonly");
            start.ArgumentList.Add(file);
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
