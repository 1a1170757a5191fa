using Microsoft.Extensions.Logging.Console;
using Provisioner.Core;
using Provisioner.Pxe.Logging;
using Provisioner.Pxe;
using Provisioner.Web;

namespace Provisioner.Host;

/// <summary>The composition root: configuration sources, services and endpoints of the appliance.</summary>
internal static class ApplianceHost
{
    private const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Set by <see cref="ApplianceRunner"/> once every listener is up.</summary>
    public static bool Started { get; set; }

    public static WebApplication Build(IReadOnlyDictionary<string, string?> overrides, string? configFile)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        ConfigurationManager config = builder.Configuration;
        config.Sources.Clear();
        AddSources(config, overrides, configFile);

        AddConsoleLog(builder.Logging, config[ApplianceSettings.LogFormat]);
        // The host logs a failed start with its stack trace; ApplianceRunner prints one line instead.
        // Once started, the host's own logs (a faulted background service, say) pass as usual.
        builder.Logging.AddFilter(HostLogCategory, level => Started && level >= LogLevel.Information);
        builder.WebHost.UseUrls(ApplianceSettings.HttpListenUrl(config));
        builder.Services.BindSettings(config);
        // Data Protection (sign-in cookies, antiforgery, BMC passwords) comes with the inventory: its keys live beside it (AddPower).
        builder.Services.AddBuildTracking();
        builder.Services.AddTftpBootServer();
        builder.Services.AddPacketCapture();
        builder.Services.AddInstallerSyslog();
        builder.Services.AddProxyDhcp();
        builder.Services.AddDhcpServer();
        builder.Services.AddProvisionerWeb();

        WebApplication app = builder.Build();
        app.UseProvisionerWeb();
        return app;
    }

    /// <summary>The console log in the chosen format. json and systemd carry scopes (mac, host, peer: <see cref="Core.Hosting.LogScope"/>).</summary>
    private static void AddConsoleLog(ILoggingBuilder logging, string? format)
    {
        string name = string.IsNullOrWhiteSpace(format) ? ConsoleFormatterNames.Simple : format.Trim().ToLowerInvariant();
        if (name is not (ConsoleFormatterNames.Simple or ConsoleFormatterNames.Json or ConsoleFormatterNames.Systemd))
        {
            throw new FormatException($"log format '{format}' is not simple, json or systemd");
        }
        logging.ClearProviders().AddConsole(o => o.FormatterName = name);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // journald stamps each line itself.
        logging.Services.Configure<ConsoleFormatterOptions>(ConsoleFormatterNames.Systemd, o => o.IncludeScopes = true);
    }

    /// <summary>The site's settings file, read by every command when it exists (as the systemd unit's install writes it).</summary>
    public const string SystemConfigFile = "/etc/provisioner/appsettings.json";

    /// <summary>Names another file in place of <see cref="SystemConfigFile"/> (as GIT_CONFIG_SYSTEM does for git): for tests and unusual installs.</summary>
    public const string SystemConfigVariable = "PROVISIONER_SYSTEM_CONFIG";

    /// <summary>
    /// The configuration sources of <c>serve</c> and of every other command, in precedence order, so a
    /// <c>provisioner hosts …</c> typed anywhere finds the inventory <c>serve</c> uses: the file beside
    /// the binary, <see cref="SystemConfigFile"/>, ./appsettings.json, <c>--config</c>, PROVISIONER_*
    /// variables, the command line.
    /// </summary>
    public static IConfigurationBuilder AddSources(IConfigurationBuilder config, IReadOnlyDictionary<string, string?> overrides, string? configFile)
    {
        string system = Environment.GetEnvironmentVariable(SystemConfigVariable) is { Length: > 0 } named ? Path.GetFullPath(named) : SystemConfigFile;
        config.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(system, optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            config.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        return config.AddEnvironmentVariables(ApplianceSettings.EnvironmentPrefix).AddInMemoryCollection(overrides);
    }
}
