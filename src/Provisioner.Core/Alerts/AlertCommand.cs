using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Alerts;

/// <summary>
/// Runs the configured shell command for an alert, the JSON on its standard input: the crontab
/// habit of mailing on failure, done properly. Killed after <see cref="AlertOptions.Timeout"/>;
/// a non-zero exit is logged with the start of its standard error. Not retried: a command that
/// wants retries can do its own.
/// </summary>
public sealed partial class AlertCommand(IOptions<AlertOptions> options, ILogger<AlertCommand> logger)
{
    public async Task<AlertDelivery> RunAsync(string command, Alert alert, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.Value.Timeout);
        string? error;
        try
        {
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
            Task<string> stderr = process.StandardError.ReadToEndAsync(attempt.Token);
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(attempt.Token);
            try
            {
                await process.StandardInput.WriteAsync(alert.ToJson().AsMemory(), attempt.Token).ConfigureAwait(false);
                process.StandardInput.Close();
                await process.WaitForExitAsync(attempt.Token).ConfigureAwait(false);
                await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
                error = process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {Truncate(stderr.Result)}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                error = $"still running after {options.Value.Timeout.TotalSeconds:0.#} s; killed";
            }
            catch (IOException ex)
            {
                // It exited without reading its input.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                error = process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {ex.Message}";
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error = ex.Message;
        }
        if (error is null)
        {
            LogRan(alert.Event, alert.Host.Hostname);
            return new AlertDelivery("command", true, 1, null);
        }
        LogFailed(alert.Event, alert.Host.Hostname, error);
        return new AlertDelivery("command", false, 1, error);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert command ran for {Event} for {Hostname}")]
    private partial void LogRan(string @event, string hostname);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert command failed for {Event} for {Hostname}: {Error}")]
    private partial void LogFailed(string @event, string hostname, string error);
}
