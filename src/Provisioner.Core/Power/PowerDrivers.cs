namespace Provisioner.Core.Power;

/// <summary>The driver for each BMC type.</summary>
public sealed class PowerDrivers
{
    private readonly IReadOnlyDictionary<BmcType, IPowerDriver> _drivers;

    public PowerDrivers(IpmiToolDriver ipmi, RedfishDriver redfish)
        : this(new Dictionary<BmcType, IPowerDriver> { [BmcType.Ipmi] = ipmi, [BmcType.Redfish] = redfish })
    {
    }

    internal PowerDrivers(IReadOnlyDictionary<BmcType, IPowerDriver> drivers) => _drivers = drivers;

    public IPowerDriver For(BmcType type) =>
        _drivers.TryGetValue(type, out IPowerDriver? driver) ? driver : throw new PowerException($"no driver for BMC type {type}");
}
