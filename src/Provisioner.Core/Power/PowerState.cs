namespace Provisioner.Core.Power;

/// <summary>What a BMC said about the machine's power.</summary>
public enum PowerState
{
    Off = 0,
    On = 1,
}

/// <summary>One reading of a host's power: the state, or why there is none (a BMC that stops answering is not "off").</summary>
public sealed record PowerReading(PowerState? State, string? Error, DateTimeOffset At)
{
    public string Text => State switch
    {
        PowerState.On => "on",
        PowerState.Off => "off",
        _ => "unknown",
    };
}
