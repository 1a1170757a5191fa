namespace Provisioner.Core.Power;

/// <summary>How the appliance talks to a host's BMC.</summary>
public enum BmcType
{
    /// <summary>IPMI 2.0 over LAN (RMCP+, <c>ipmitool -I lanplus</c>), UDP 623 by default.</summary>
    Ipmi = 1,

    /// <summary>DMTF Redfish over HTTPS: <c>/redfish/v1/Systems/…</c>.</summary>
    Redfish = 2,
}

public static class BmcTypes
{
    public static string Name(this BmcType type) => type switch
    {
        BmcType.Ipmi => "ipmi",
        BmcType.Redfish => "redfish",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out BmcType type)
    {
        type = text?.Trim().ToLowerInvariant() switch
        {
            "ipmi" => BmcType.Ipmi,
            "redfish" => BmcType.Redfish,
            _ => 0,
        };
        return type != 0;
    }
}
