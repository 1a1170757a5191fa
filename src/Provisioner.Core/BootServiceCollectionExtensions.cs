using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core;
using Provisioner.Core.Boot;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Capture;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Syslog;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core;

public static class BootServiceCollectionExtensions
{
    /// <summary>The boot files and the TFTP server that serves them, started with the host.</summary>
    public static IServiceCollection AddTftpBootServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProvisionerCore();
        services.AddInventory(configuration);
        services.AddApplianceUrls(configuration);
        services.AddOptions<TftpServerOptions>()
            .Bind(configuration.GetSection("Tftp"))
            .Configure(o => o.Endpoint = ParseEndpoint(configuration["Tftp:Endpoint"], o.Endpoint));
        services.CheckAtStart<TftpServerOptions>(rules => rules
            .Rule(o => Setting.AtLeast("Tftp:MaxTransfers", o.MaxTransfers, 1))
            .Rule(o => Setting.Positive("Tftp:Timeout", o.Timeout))
            .Rule(o => Setting.AtLeast("Tftp:MaxRetries", o.MaxRetries, 0))
            .Rule(o => Setting.Between("Tftp:MaxBlockSize", o.MaxBlockSize, 8, 65464))
            .Rule(o => Setting.Between("Tftp:MaxWindowSize", o.MaxWindowSize, 1, 65535))
            .Rule(o => Setting.AtLeast("Tftp:EventLoops", o.EventLoops, 1))
            .Rule(o => Setting.NotNegative("Tftp:ShutdownGrace", o.ShutdownGrace))
            .Rule(o => Setting.AtLeast("Tftp:MaxNetasciiBytes", o.MaxNetasciiBytes, 0)));
        services.AddBootFiles(configuration);
        services.AddSingleton<BootTftpHandler>();
        services.AddSingleton<ITftpHandler, ConfigTftpHandler>();
        services.AddSingleton<ITftpTransferObserver, TftpEventPublisher>();
        services.AddSingleton<TftpServer>();
        services.AddHostedService<TftpHostedService>();
        return services;
    }

    /// <summary>The syslog receiver for installer logs, on <c>Syslog:Endpoint</c> (<c>off</c> to disable).</summary>
    public static IServiceCollection AddInstallerSyslog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInventory(configuration);
        services.AddOptions<SyslogServerOptions>().Configure(o => o.Endpoint = ParseSyslogEndpoint(configuration["Syslog:Endpoint"], o.Endpoint));
        services.AddSingleton<ISyslogHandler, InstallerSyslogHandler>();
        services.AddSingleton<SyslogServer>();
        services.AddHostedService<SyslogHostedService>();
        return services;
    }

    /// <summary>ProxyDHCP (<c>ProxyDhcp:Enabled</c>, <c>--proxy-dhcp</c>) on the capture interfaces, and only there.</summary>
    public static IServiceCollection AddProxyDhcp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInventory(configuration);
        services.AddApplianceUrls(configuration);
        services.AddBootFiles(configuration);
        services.AddOptions<ProxyDhcpOptions>().Configure(o =>
        {
            o.Enabled = configuration.GetValue<bool>("ProxyDhcp:Enabled");
            foreach (string name in configuration.GetSection("Capture:Interfaces").Get<string[]>() ?? [])
            {
                o.Interfaces.Add(name);
            }
        });
        services.AddOptions<ProxyDhcpPolicyOptions>().Bind(configuration.GetSection("ProxyDhcp"));
        services.AddOptions<BootChoiceOptions>().Bind(configuration.GetSection("ProxyDhcp"));
        services.CheckAtStart<ProxyDhcpPolicyOptions>(rules => rules
            .Rule(o => Setting.OneOf("ProxyDhcp:Unknown", o.Unknown, "ignore", "localboot"))
            .Rule(o => Setting.OneOf("ProxyDhcp:NotBuilding", o.NotBuilding, "ignore", "localboot")));
        services.CheckAtStart<BootChoiceOptions>(rules => rules.Rule(o => Setting.OneOf("ProxyDhcp:UefiLoader", o.UefiLoader, "grub", "syslinux")));
        services.AddSingleton<IProxyDhcpHandler, ProxyDhcpBootHandler>();
        services.AddSingleton<ProxyDhcpServer>();
        services.AddHostedService<ProxyDhcpHostedService>();
        return services;
    }

    /// <summary>ARP and DHCP capture on the interfaces in <c>Capture:Interfaces</c>; off when there are none.</summary>
    public static IServiceCollection AddPacketCapture(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddInventory(configuration);
        services.AddOptions<CaptureOptions>().Bind(configuration.GetSection("Capture"));
        services.AddSingleton<ObservationRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ObservationRecorder>());
        services.AddHostedService<CaptureHostedService>();
        return services;
    }

    private static IPEndPoint? ParseSyslogEndpoint(string? value, IPEndPoint? fallback) =>
        value?.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) == true ? null : ParseEndpoint(value, fallback, "syslog", "0.0.0.0:514) or off");

    private static IPEndPoint ParseEndpoint(string? value, IPEndPoint fallback) => ParseEndpoint(value, fallback, "TFTP", "0.0.0.0:69)")!;

    private static IPEndPoint? ParseEndpoint(string? value, IPEndPoint? fallback, string what, string example)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        return IPEndPoint.TryParse(value, out IPEndPoint? endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new FormatException($"{what} address '{value}' is not ADDR:PORT (for example {example}");
    }
}
