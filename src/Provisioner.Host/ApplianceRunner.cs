using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory.Data;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Net;

using Provisioner.Host.Cli;

namespace Provisioner.Host;

/// <summary>Runs the appliance and turns start-up failures into one line for the operator.</summary>
internal static partial class ApplianceRunner
{
    /// <summary>Exit code when start-up fails on configuration or a port (EX_CONFIG from sysexits.h).</summary>
    private const int StartupFailed = 78;

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> overrides, string? configFile, CancellationToken cancellationToken)
    {
        WebApplication? app = null;
        DataDirLock? held = null;
        try
        {
            app = ApplianceHost.Build(overrides, configFile);
            // Every setting at once, before a listener reads the first bad one.
            app.Services.GetService<IStartupValidator>()?.Validate();
            string dataDir = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir;
            PrepareDirectories(app, dataDir);
            held = DataDirLock.Acquire(dataDir, "serve");
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            ApplianceHost.Started = true;
        }
        catch (Exception ex) when (Describe(ex, app) is { } line)
        {
            held?.Dispose();
            foreach (string each in line.Split('\n'))
            {
                await Console.Error.WriteLineAsync($"provisioner: {each}").ConfigureAwait(false);
            }
            return StartupFailed;
        }
        using (held)
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        return 0;
    }

    private static void PrepareDirectories(WebApplication app, string dataDir)
    {
        // A new data dir is the appliance's alone (0700): the data-protection keys are written in it
        // with the process umask, and the inventory holds password hashes.
        if (!Directory.Exists(dataDir))
        {
            Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.CreateDirectory(app.Services.GetRequiredService<IOptions<BootFileOptions>>().Value.BootDir);
    }

    /// <summary>The operator's line (a line per bad setting) for a failure we understand; null lets anything else crash loudly.</summary>
    private static string? Describe(Exception ex, WebApplication? app) => ex switch
    {
        OptionsValidationException invalid => string.Join('\n', invalid.Failures),
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            string.Join('\n', all.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)),
        InvalidOperationException conversion when UnconvertibleSetting().Match(conversion.Message) is { Success: true } match =>
            $"{match.Groups["key"].Value} is '{match.Groups["value"].Value}': it is not {TypeName(match.Groups["type"].Value)}",
        PortBindException bind => bind.Advise(ServeCommand.OptionFor(bind.Listener)),
        DatabaseUnavailableException database => database.Message,
        DataDirInUseException inUse => inUse.Message,
        CaptureException capture => capture.Message,
        Core.Dhcp.DhcpSetupException dhcp => dhcp.Message,
        FormatException format => format.Message,
        InvalidDataException data => data.Message,
        FileNotFoundException missing => $"configuration file not found: {missing.FileName}",
        IOException io when io.InnerException is AddressInUseException =>
            $"HTTP cannot listen: {io.Message.TrimEnd('.')}. Stop the other process or choose another URL with --http",
        // Kestrel lets a refused bind through as it is; TFTP's come wrapped in PortBindException.
        SocketException socket => PortBindException.For("HTTP", HttpUrl(app), socket).Advise("--http"),
        IOException io when io.Message.StartsWith("Failed to bind", StringComparison.Ordinal) =>
            $"HTTP cannot listen: {io.Message.TrimEnd('.')}. Choose another URL with --http",
        UnauthorizedAccessException denied => $"cannot create a directory: {denied.Message}",
        _ => null,
    };

    private static string HttpUrl(WebApplication? app) =>
        app?.Services.GetService<IOptions<ApplianceUrlOptions>>()?.Value.Http ?? new ApplianceUrlOptions().Http;

    /// <summary>The configuration binder's words for a value it cannot convert.</summary>
    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex UnconvertibleSetting();

    private static string TypeName(string type) => type switch
    {
        "System.TimeSpan" => "a duration (hh:mm:ss)",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Boolean" => "true or false",
        _ => $"a {type}",
    };
}
