using Provisioner.Core.Inventory;
using Provisioner.Core.Power;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages.Hosts;

/// <summary>What the host page's power card shows: the BMC (without its password), the last power reading, and whether the viewer may act.</summary>
public sealed record PowerCard(HostRecord Host, BmcInfo? Bmc, PowerReading? Reading, bool Admin)
{
    public BmcForm Form { get; } = BmcForm.From(Bmc);
}
