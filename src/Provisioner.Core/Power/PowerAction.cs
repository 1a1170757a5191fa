namespace Provisioner.Core.Power;

/// <summary>What an operator asks a host's BMC to do.</summary>
public enum PowerAction
{
    On,

    /// <summary>Soft (ACPI) first; hard after <see cref="PowerOptions.SoftOffTimeout"/> or when the BMC refuses soft.</summary>
    Off,

    /// <summary>Off and on again (or on, from off).</summary>
    Cycle,

    /// <summary>Boot from the network once, then cycle: how a build starts without anyone at the rack.</summary>
    PxeCycle,
}

public static class PowerActions
{
    public static string Name(this PowerAction action) => action switch
    {
        PowerAction.On => "on",
        PowerAction.Off => "off",
        PowerAction.Cycle => "cycle",
        PowerAction.PxeCycle => "cycle into PXE",
        _ => action.ToString(),
    };

    public static bool TryParse(string? text, out PowerAction action)
    {
        (bool ok, action) = text?.Trim().ToLowerInvariant() switch
        {
            "on" => (true, PowerAction.On),
            "off" => (true, PowerAction.Off),
            "cycle" => (true, PowerAction.Cycle),
            "pxe" or "pxe-cycle" => (true, PowerAction.PxeCycle),
            _ => (false, PowerAction.On),
        };
        return ok;
    }
}
