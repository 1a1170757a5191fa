using System.Net;
using Microsoft.Extensions.Options;
using Provisioner.Core.Alerts;
using Provisioner.Core.Boot;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Images;
using Provisioner.Core.Inventory;
using Provisioner.Core.Mirror;
using Provisioner.Core.Network;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Syslog;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Host;

/// <summary>
/// Configuration keys of the appliance, and the one place they are bound to the typed options the
/// libraries read (the libraries never see a key), with the rules each value must meet, checked
/// together at start (<see cref="Setting.CheckAtStart{T}"/>). Defaults live on the options types.
/// Each key is set, lowest to highest precedence, by the appsettings.json beside the binary,
/// ./appsettings.json, <c>--config FILE</c>, a <c>PROVISIONER_</c> environment variable (<c>:</c>
/// written as <c>__</c>), and the command line.
/// </summary>
internal static class ApplianceSettings
{
    public const string EnvironmentPrefix = "PROVISIONER_";
    public const string DataDir = "DataDir";
    public const string BootDir = "BootDir";
    public const string Templates = "Templates";
    public const string Http = "Http";
    public const string TftpEndpoint = "Tftp:Endpoint";
    public const string Database = "Database";
    public const string PublicUrl = "PublicUrl";
    public const string CaptureInterfaces = "Capture:Interfaces";
    public const string SyslogEndpoint = "Syslog:Endpoint";
    public const string ProxyDhcpEnabled = "ProxyDhcp:Enabled";
    public const string DhcpEnabled = "Dhcp:Enabled";
    public const string DhcpForce = "Dhcp:Force";
    public const string ApplianceName = "Appliance:Name";
    public const string LogFormat = "LogFormat";

    private const string Tftp = "Tftp";
    private const string Syslog = "Syslog";
    private const string ProxyDhcp = "ProxyDhcp";
    private const string Dhcp = "Dhcp";
    private const string Capture = "Capture";
    private const string Builds = "Builds";
    private const string Preseed = "Preseed";
    private const string Appliance = "Appliance";
    private const string Alerts = "Alerts";
    private const string Mirror = "Mirror";
    private const string Images = "Images";
    private const string Power = "Power";

    /// <summary>Binds every options type the appliance's services read; <c>serve</c> and the inventory commands alike.</summary>
    public static IServiceCollection BindSettings(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.DataDir = NonEmpty(config[DataDir]) ?? o.DataDir;
            o.Database = NonEmpty(config[Database]);
        });
        services.AddOptions<TemplateStoreOptions>().Configure(o => o.Directory = NonEmpty(config[Templates]) ?? o.Directory);
        services.AddOptions<BootFileOptions>().Configure(o => o.BootDir = NonEmpty(config[BootDir]) ?? o.BootDir);
        services.AddOptions<ApplianceUrlOptions>().Configure(o =>
        {
            o.Http = NonEmpty(config[Http]) ?? o.Http;
            o.PublicUrl = NonEmpty(config[PublicUrl]);
        });
        services.AddOptions<ApplianceOptions>().Bind(config.GetSection(Appliance));
        services.AddOptions<PreseedOptions>().Bind(config.GetSection(Preseed));
        services.CheckAtStart<PreseedOptions>(rules => rules
            .Rule(o => PreseedOptions.CheckUserName(Key(Preseed, nameof(o.AdminUser)), o.AdminUser))
            .Rule(o => PreseedOptions.CheckPasswordHash(Key(Preseed, nameof(o.AdminPasswordHash)), o.AdminPasswordHash))
            .Rules(o => InstallSettingsCheck.Problems(Key(Preseed, nameof(o.Defaults)), o.Defaults)));
        services.AddOptions<DhcpTrustOptions>().Bind(config.GetSection(Preseed));
        services.AddOptions<BuildOptions>().Bind(config.GetSection(Builds));
        services.CheckAtStart<BuildOptions>(rules => rules
            .Rule(o => Setting.Positive(Key(Builds, nameof(o.StallTimeout)), o.StallTimeout))
            .Rule(o => Setting.NotNegative(Key(Builds, nameof(o.FirstBootTimeout)), o.FirstBootTimeout)));

        services.AddOptions<AlertOptions>().Bind(config.GetSection(Alerts));
        services.CheckAtStart<AlertOptions>(rules => rules
            .Rule(o => Setting.HttpUrls(Key(Alerts, nameof(o.Webhooks)), o.Webhooks))
            .Rule(o => Setting.AtLeast(Key(Alerts, nameof(o.Attempts)), o.Attempts, 1))
            .Rule(o => Setting.Positive(Key(Alerts, nameof(o.Timeout)), o.Timeout))
            .Rule(o => Setting.NotNegative(Key(Alerts, nameof(o.FirstRetryDelay)), o.FirstRetryDelay))
            .Rule(o => Setting.AtLeast(Key(Alerts, nameof(o.LogLines)), o.LogLines, 0)));
        services.AddOptions<MirrorOptions>().Bind(config.GetSection(Mirror));
        services.CheckAtStart<MirrorOptions>(rules => rules
            .Rules(MirrorUpstreams.Problems)
            .Rule(o => Setting.Positive(Key(Mirror, nameof(o.IndexMaxAge)), o.IndexMaxAge))
            .Rule(o => Setting.Positive(Key(Mirror, nameof(o.UpstreamTimeout)), o.UpstreamTimeout))
            .Rule(o => Setting.AtLeast(Key(Mirror, nameof(o.MaxSize)), o.MaxSize, 1L << 20)));
        services.AddOptions<ImageOptions>().Bind(config.GetSection(Images))
            .Configure(o => o.MirrorUrl = NonEmpty(config[Key(Images, nameof(o.MirrorUrl))]) ?? OwnMirror(NonEmpty(config[Http]) ?? new ApplianceUrlOptions().Http));
        services.CheckAtStart<ImageOptions>(rules => rules
            .Rule(o => Setting.AtLeast(Key(Images, nameof(o.Keep)), o.Keep, 1))
            .Rule(o => Setting.Positive(Key(Images, nameof(o.BuildTimeout)), o.BuildTimeout))
            .Rule(o => Setting.HttpUrls(Key(Images, nameof(o.MirrorUrl)), [o.MirrorUrl])));
        services.AddOptions<Core.Power.PowerOptions>().Bind(config.GetSection(Power));
        services.CheckAtStart<Core.Power.PowerOptions>(rules => rules
            .Rule(o => Setting.Positive(Key(Power, nameof(o.RequestTimeout)), o.RequestTimeout))
            .Rule(o => Setting.Positive(Key(Power, nameof(o.SoftOffTimeout)), o.SoftOffTimeout))
            .Rule(o => Setting.AtLeast(Key(Power, nameof(o.PollConcurrency)), o.PollConcurrency, 1)));
        services.AddOptions<TftpServerOptions>().Bind(config.GetSection(Tftp))
            .Configure(o => o.Endpoint = ParseEndpoint(config[TftpEndpoint], "TFTP", "0.0.0.0:69)") ?? o.Endpoint);
        services.CheckAtStart<TftpServerOptions>(rules => rules
            .Rule(o => Setting.AtLeast(Key(Tftp, nameof(o.MaxTransfers)), o.MaxTransfers, 1))
            .Rule(o => Setting.AtLeast(Key(Tftp, nameof(o.MaxTransfersPerClient)), o.MaxTransfersPerClient, 1))
            .Rule(o => Setting.Positive(Key(Tftp, nameof(o.MaxTimeout)), o.MaxTimeout))
            .Rule(o => Setting.Positive(Key(Tftp, nameof(o.GiveUpAfter)), o.GiveUpAfter))
            .Rule(o => Setting.Positive(Key(Tftp, nameof(o.Timeout)), o.Timeout))
            .Rule(o => Setting.AtLeast(Key(Tftp, nameof(o.MaxRetries)), o.MaxRetries, 0))
            .Rule(o => Setting.Between(Key(Tftp, nameof(o.MaxBlockSize)), o.MaxBlockSize, 8, 65464))
            .Rule(o => Setting.Between(Key(Tftp, nameof(o.MaxWindowSize)), o.MaxWindowSize, 1, 65535))
            .Rule(o => Setting.AtLeast(Key(Tftp, nameof(o.EventLoops)), o.EventLoops, 1))
            .Rule(o => Setting.NotNegative(Key(Tftp, nameof(o.ShutdownGrace)), o.ShutdownGrace)));
        services.AddOptions<SyslogServerOptions>().Configure(o => o.Endpoint = SyslogOff(config) ? null : ParseEndpoint(config[SyslogEndpoint], "syslog", "0.0.0.0:514) or off") ?? o.Endpoint);
        // Installers are told the receiver's port (log_port), or none when it is off.
        services.AddOptions<InstallerLogOptions>().Bind(config.GetSection(Syslog))
            .Configure<IOptions<SyslogServerOptions>>((o, syslog) => o.Port = syslog.Value.Endpoint?.Port);
        services.CheckAtStart<InstallerLogOptions>(rules => rules.Rule(o => Setting.AtLeast(Key(Syslog, nameof(o.MaxLinesPerBuild)), o.MaxLinesPerBuild, 1)));
        services.AddOptions<CaptureOptions>().Bind(config.GetSection(Capture));
        services.AddOptions<ProxyDhcpOptions>().Configure(o =>
        {
            o.Enabled = config.GetValue<bool>(ProxyDhcpEnabled);
            foreach (string name in config.GetSection(CaptureInterfaces).Get<string[]>() ?? [])
            {
                o.Interfaces.Add(name);
            }
        });
        services.AddOptions<DhcpServerOptions>().Bind(config.GetSection(Dhcp)).Configure(o =>
        {
            o.Interfaces.Clear();
            foreach (string name in config.GetSection(CaptureInterfaces).Get<string[]>() ?? [])
            {
                o.Interfaces.Add(name);
            }
        });
        services.CheckAtStart<DhcpServerOptions>(rules => rules
            .Rule(o => Setting.AtLeast(Key(Dhcp, nameof(o.MaxMessagesPerClientPerSecond)), o.MaxMessagesPerClientPerSecond, 1))
            .Rule(o => Setting.AtLeast(Key(Dhcp, nameof(o.MaxConcurrentRequests)), o.MaxConcurrentRequests, 1)));
        services.AddOptions<Core.Dhcp.DhcpServiceOptions>().Bind(config.GetSection(Dhcp));
        services.CheckAtStart<Core.Dhcp.DhcpServiceOptions>(rules => rules
            .Rules(o => config.GetValue<bool>(DhcpEnabled) ? Core.Dhcp.DhcpSubnets.Problems(o) : [])
            .Rule(o => Setting.Positive(Key(Dhcp, nameof(o.OfferHold)), o.OfferHold))
            .Rule(o => Setting.Positive(Key(Dhcp, nameof(o.Quarantine)), o.Quarantine))
            .Rule(o => Setting.NotNegative(Key(Dhcp, nameof(o.ProbeTimeout)), o.ProbeTimeout))
            .Rule(o => Setting.NotNegative(Key(Dhcp, nameof(o.OtherServerListen)), o.OtherServerListen)));
        services.AddOptions<ProxyDhcpPolicyOptions>().Bind(config.GetSection(ProxyDhcp));
        services.CheckAtStart<ProxyDhcpPolicyOptions>(rules => rules
            .Rule(o => Setting.OneOf(Key(ProxyDhcp, nameof(o.Unknown)), o.Unknown, "ignore", "localboot"))
            .Rule(o => Setting.OneOf(Key(ProxyDhcp, nameof(o.NotBuilding)), o.NotBuilding, "ignore", "localboot")));
        services.AddOptions<BootChoiceOptions>().Bind(config.GetSection(ProxyDhcp));
        services.CheckAtStart<BootChoiceOptions>(rules => rules.Rule(o => Setting.OneOf(Key(ProxyDhcp, nameof(o.UefiLoader)), o.UefiLoader, "grub", "syslinux")));
        return services;
    }

    /// <summary>The HTTP listen URL, checked here because Kestrel needs it before any service exists.</summary>
    public static string HttpListenUrl(IConfiguration config)
    {
        string url = NonEmpty(config[Http]) ?? new ApplianceUrlOptions().Http;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? url
            : throw new FormatException($"HTTP address '{url}' is not a URL like http://0.0.0.0:8080");
    }

    private static string Key(string section, string name) => $"{section}:{name}";

    /// <summary>The appliance's own mirror as this machine reaches it: the HTTP listen URL, a wildcard address read as 127.0.0.1.</summary>
    private static string OwnMirror(string listen)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out Uri? uri))
        {
            return listen; // HttpListenUrl refuses it before anything runs
        }
        string host = uri.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" or "localhost" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{uri.Port}/mirror";
    }

    private static bool SyslogOff(IConfiguration config) => config[SyslogEndpoint]?.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) == true;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>An <c>ADDR:PORT</c> value, null when unset; anything else is the operator's one-line error at start.</summary>
    private static IPEndPoint? ParseEndpoint(string? value, string what, string example)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        // IPEndPoint.TryParse reads 192.0.2.010 as octal (192.0.2.8): a dotted quad is read strictly, as everywhere else.
        int colon = value.LastIndexOf(':');
        if (colon > 0 && value[..colon] is var host && host.All(c => char.IsAsciiDigit(c) || c == '.') && !Ipv4Interface.TryParseAddress(host, out _, out string why))
        {
            throw new FormatException($"{what} address '{value}': {why}");
        }
        return IPEndPoint.TryParse(value, out IPEndPoint? endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new FormatException($"{what} address '{value}' is not ADDR:PORT (for example {example}");
    }
}
