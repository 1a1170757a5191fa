using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Tests.Network;

public sealed class DiscoveredMachinesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Seen_Repeatedly_CountsKeepsFirstSeenAndListsNewestFirst()
    {
        var machines = new DiscoveredMachines();
        machines.Seen(Mac("02:00:00:00:00:01"), "PXEClient:Arch:00000", "BIOS", null, null, null, T0);
        machines.Seen(Mac("02:00:00:00:00:02"), "PXEClient:Arch:00007", "x86-64 EFI", null, null, null, T0.AddSeconds(1));
        machines.Seen(Mac("02:00:00:00:00:01"), null, null, "192.0.2.101", null, null, T0.AddSeconds(2));

        IReadOnlyList<DiscoveredMachine> list = machines.List();

        Assert.Equal(["02:00:00:00:00:01", "02:00:00:00:00:02"], list.Select(m => m.Mac));
        Assert.Equal(2, list[0].Count);
        Assert.Equal(T0, list[0].FirstSeen);
        Assert.Equal(T0.AddSeconds(2), list[0].LastSeen);
        Assert.Equal("BIOS", list[0].Architecture);
        Assert.Equal("192.0.2.101", list[0].Ip);
    }

    [Fact]
    public void Dismiss_KeepsTheMachineOffTheList()
    {
        var machines = new DiscoveredMachines();
        machines.Seen(Mac("02:00:00:00:00:01"), null, "BIOS", null, null, null, T0);

        Assert.True(machines.Dismiss(Mac("02:00:00:00:00:01")));
        machines.Seen(Mac("02:00:00:00:00:01"), null, "BIOS", null, null, null, T0.AddSeconds(1));

        Assert.Empty(machines.List());
        Assert.False(machines.Dismiss(Mac("02:00:00:00:00:01")));
    }

    [Fact]
    public void Answered_OnlyUpdatesListedMachines()
    {
        var machines = new DiscoveredMachines();
        machines.Seen(Mac("02:00:00:00:00:01"), null, "BIOS", null, null, null, T0);

        machines.Answered(Mac("02:00:00:00:00:01"), "192.0.2.1");
        machines.Answered(Mac("02:00:00:00:00:09"), "192.0.2.1");

        Assert.Equal("192.0.2.1", Assert.Single(machines.List()).DhcpServer);
    }

    [Fact]
    public void Version_RaisedByEveryChangeOfTheList_NotByAnswersThatChangeNothing()
    {
        var machines = new DiscoveredMachines();
        long v0 = machines.Version;
        machines.Seen(Mac("02:00:00:00:00:01"), null, "BIOS", null, null, null, T0);
        long v1 = machines.Version;
        machines.Answered(Mac("02:00:00:00:00:01"), "192.0.2.1");
        long v2 = machines.Version;
        machines.Answered(Mac("02:00:00:00:00:01"), "192.0.2.1");
        machines.Answered(Mac("02:00:00:00:00:09"), "192.0.2.1");
        long v3 = machines.Version;
        machines.Remove(Mac("02:00:00:00:00:01"));

        Assert.True(v0 < v1 && v1 < v2 && v2 == v3 && v3 < machines.Version);
    }

    private static MacAddress Mac(string text) => MacAddress.TryParse(text, out MacAddress mac) ? mac : throw new FormatException(text);
}
