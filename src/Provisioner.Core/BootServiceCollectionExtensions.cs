using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    public static IServiceCollection AddTftpBootServer(this IServiceCollection services)
    {
        services.AddProvisionerCore();
        services.AddInventory();
        services.AddApplianceUrls();
        services.AddBootFiles();
        services.AddSingleton<BootTftpHandler>();
        services.AddSingleton<ITftpHandler, ConfigTftpHandler>();
        services.AddSingleton<ITftpTransferObserver, TftpEventPublisher>();
        services.AddSingleton<TftpServer>();
        services.AddHostedService<TftpHostedService>();
        return services;
    }

    /// <summary>The syslog receiver for installer logs, on <c>Syslog:Endpoint</c> (<c>off</c> to disable).</summary>
    public static IServiceCollection AddInstallerSyslog(this IServiceCollection services)
    {
        services.AddInventory();
        services.AddSingleton<ISyslogHandler, InstallerSyslogHandler>();
        services.AddSingleton<SyslogServer>();
        services.AddHostedService<SyslogHostedService>();
        return services;
    }

    /// <summary>ProxyDHCP (<c>ProxyDhcp:Enabled</c>, <c>--proxy-dhcp</c>) on the capture interfaces, and only there.</summary>
    public static IServiceCollection AddProxyDhcp(this IServiceCollection services)
    {
        services.AddInventory();
        services.AddApplianceUrls();
        services.AddBootFiles();
        services.TryAddSingleton<PxeBootDecision>();
        services.AddSingleton<IProxyDhcpHandler, ProxyDhcpBootHandler>();
        services.AddSingleton<ProxyDhcpServer>();
        services.AddHostedService<ProxyDhcpHostedService>();
        return services;
    }

    /// <summary>ARP and DHCP capture on the interfaces in <c>Capture:Interfaces</c>; off when there are none.</summary>
    public static IServiceCollection AddPacketCapture(this IServiceCollection services)
    {
        services.AddInventory();
        services.AddSingleton<ObservationRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ObservationRecorder>());
        services.AddHostedService<CaptureHostedService>();
        return services;
    }
}
