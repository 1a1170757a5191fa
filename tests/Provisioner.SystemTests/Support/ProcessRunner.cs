using System.Diagnostics;
using System.Text;

namespace Provisioner.SystemTests.Support;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>Runs a real program with a time limit; on the limit it is killed by its PID.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        using Process process = Start(fileName, arguments, workingDirectory, environment, out StringBuilder stdout, out StringBuilder stderr);
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {limit}: {stdout}{stderr}");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static async Task<ProcessResult> RunCheckedAsync(string fileName, params string[] arguments)
    {
        ProcessResult result = await RunAsync(fileName, arguments, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Output}");
        return result;
    }

    public static Process Start(string fileName, IEnumerable<string> arguments, string? workingDirectory, IDictionary<string, string>? environment, out StringBuilder stdout, out StringBuilder stderr)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        StringBuilder output = new(), error = new();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = output;
        stderr = error;
        return process;
    }
}
