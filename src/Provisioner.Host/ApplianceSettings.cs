namespace Provisioner.Host;

/// <summary>
/// Configuration keys of the appliance. Each is set, lowest to highest precedence, by the
/// appsettings.json beside the binary, ./appsettings.json, <c>--config FILE</c>, a
/// <c>PROVISIONER_</c> environment variable (<c>:</c> written as <c>__</c>), and the command line.
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
    public const string ApplianceName = "Appliance:Name";
    public const string LogFormat = "LogFormat";
}
