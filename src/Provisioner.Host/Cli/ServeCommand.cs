using System.CommandLine;
using Provisioner.Pxe.Dhcp;
using Provisioner.Pxe.Syslog;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner serve</c>: runs the appliance until stopped.</summary>
internal static class ServeCommand
{
    /// <summary>Each option, the configuration key it sets, and (in the description) its default.</summary>
    private static readonly (Option<string> Option, string Key)[] Settings =
    [
        (new Option<string>("--data-dir") { Description = "The SQLite database and state. Default ./data", HelpName = "DIR" }, ApplianceSettings.DataDir),
        (new Option<string>("--boot-dir") { Description = "Kernels, initrds and boot loaders served over TFTP and HTTP. Default ./boot", HelpName = "DIR" }, ApplianceSettings.BootDir),
        (new Option<string>("--templates") { Description = "Liquid templates for boot configs and preseeds. Default ./templates", HelpName = "DIR" }, ApplianceSettings.Templates),
        (new Option<string>("--http") { Description = "HTTP listen URL (UI, API, boot files). Default http://0.0.0.0:8080", HelpName = "URL" }, ApplianceSettings.Http),
        (new Option<string>("--tftp") { Description = "TFTP listen address. Default 0.0.0.0:69", HelpName = "ADDR:PORT" }, ApplianceSettings.TftpEndpoint),
        (new Option<string>("--syslog") { Description = "Syslog receiver for installer logs (UDP), or off. Default 0.0.0.0:514", HelpName = "ADDR:PORT" }, ApplianceSettings.SyslogEndpoint),
        (new Option<string>("--database") { Description = "PostgreSQL connection string. Default: SQLite file DATA_DIR/provisioner.db", HelpName = "CONNSTR" }, ApplianceSettings.Database),
        (new Option<string>("--appliance") { Description = "This appliance's name, kept on each timeline event and the name hosts are pinned to, when several share one PostgreSQL. Default: the machine's host name", HelpName = "NAME" }, ApplianceSettings.ApplianceName),
        (new Option<string>("--log-format") { Description = "simple (one line of text each), json (one object a line, with the mac, host and peer scopes as fields) or systemd (journald priorities, with scopes). Default simple", HelpName = "FORMAT" }, ApplianceSettings.LogFormat),
        (new Option<string>("--public-url") { Description = "Base URL clients use to reach the HTTP side, written into boot configs and preseeds. Default: the address each request arrived on", HelpName = "URL" }, ApplianceSettings.PublicUrl),
    ];

    private static readonly Option<string> ConfigFile = new("--config")
    {
        Description = "An extra appsettings.json-style file, read after ./appsettings.json",
        HelpName = "FILE",
    };

    private static readonly Option<string[]> Interfaces = new("--interface")
    {
        Description = "Capture DHCP and ARP on this provisioning interface to learn MACs (repeatable). Default: capture off",
        HelpName = "NAME",
    };

    private static readonly Option<bool> ProxyDhcp = new("--proxy-dhcp")
    {
        Description = "Answer PXE clients' DHCP with boot information (ProxyDHCP, UDP 67 and 4011) on the --interface interfaces; never hands out addresses. Default off",
    };

    private static readonly Option<bool> Dhcp = new("--dhcp")
    {
        Description = "Be the DHCP server on the --interface interfaces: addresses from Dhcp:Subnets (registered hosts get their own), boot information for PXE clients. Default off",
    };

    private static readonly Option<bool> DhcpForce = new("--dhcp-force")
    {
        Description = "With --dhcp: serve even where start-up hears another DHCP server. Default off (start-up stops)",
    };

    /// <summary>The option that moves a listener which could not bind (for the operator's line).</summary>
    public static string OptionFor(string listener) => listener switch
    {
        TftpServer.ListenerName => "--tftp",
        SyslogServer.ListenerName => "--syslog ADDR:PORT (or --syslog off)",
        ProxyDhcpServer.ListenerName => "--interface (or leave out --proxy-dhcp)",
        DhcpServer.ListenerName => "--interface (or leave out --dhcp)",
        _ => "its setting",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve TFTP and HTTP until stopped (Ctrl+C or SIGTERM).");
        command.Options.Add(ProxyDhcp);
        command.Options.Add(Dhcp);
        command.Options.Add(DhcpForce);
        foreach ((Option<string> option, _) in Settings)
        {
            command.Options.Add(option);
        }
        command.Options.Add(ConfigFile);
        command.Options.Add(Interfaces);
        command.SetAction((parse, cancellationToken) =>
        {
            // Only options given on the command line override appsettings.json and PROVISIONER_* variables.
            Dictionary<string, string?> overrides = Settings
                .Where(s => parse.GetResult(s.Option) is { Implicit: false })
                .ToDictionary(s => s.Key, s => parse.GetValue(s.Option));
            if (parse.GetValue(ProxyDhcp))
            {
                overrides[ApplianceSettings.ProxyDhcpEnabled] = "true";
            }
            if (parse.GetValue(Dhcp))
            {
                overrides[ApplianceSettings.DhcpEnabled] = "true";
            }
            if (parse.GetValue(DhcpForce))
            {
                overrides[ApplianceSettings.DhcpForce] = "true";
            }
            string[] interfaces = parse.GetValue(Interfaces) ?? [];
            for (int i = 0; i < interfaces.Length; i++)
            {
                overrides[$"{ApplianceSettings.CaptureInterfaces}:{i}"] = interfaces[i];
            }
            return ApplianceRunner.RunAsync(overrides, parse.GetValue(ConfigFile), cancellationToken);
        });
        return command;
    }
}
