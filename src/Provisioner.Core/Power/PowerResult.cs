namespace Provisioner.Core.Power;

/// <summary>How a power action ended: done (with the power state read afterwards, when there was one), or the BMC's refusal in words.</summary>
public sealed record PowerResult(PowerAction Action, bool Done, string Message, PowerState? State = null);
