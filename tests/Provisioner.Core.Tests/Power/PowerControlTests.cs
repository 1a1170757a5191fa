using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory;
using Provisioner.Core.Power;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Power;

/// <summary>
/// The sequences every driver gets (soft then hard, cycle from off, a refused cycle, PXE once) and what
/// they put on the timeline, over a real SQLite inventory and real Data Protection. The driver here is a
/// scripted stand-in (a BMC that cannot run in a unit test); ipmitool against ipmi_sim is in the system tests.
/// </summary>
public sealed class PowerControlTests : IAsyncLifetime
{
    private TestInventory _inventory = null!;
    private readonly ScriptedBmc _bmc = new();
    private PowerControl _control = null!;
    private BmcService _bmcs = null!;
    private int _host;

    public async Task InitializeAsync()
    {
        _inventory = await TestInventory.CreateAsync();
        var secrets = new BmcSecrets(DataProtectionProvider.Create(new DirectoryInfo(Path.Join(_inventory.Dir, "keys"))));
        _bmcs = new BmcService(_inventory.Database, secrets, _inventory.Time);
        _control = new PowerControl(_bmcs, new PowerDrivers(new Dictionary<BmcType, IPowerDriver> { [BmcType.Ipmi] = _bmc }), _inventory.Tracker, new PowerReadings(),
            Options.Create(new PowerOptions { SoftOffTimeout = TimeSpan.FromSeconds(3), RequestTimeout = TimeSpan.FromSeconds(3) }), TimeProvider.System, NullLogger<PowerControl>.Instance);
        _host = (await _inventory.Hosts.CreateAsync(TestInventory.Sample(), default)).Id;
        await _bmcs.SetAsync(_host, new BmcSettings("ipmi", "192.0.2.21", "admin", "pw-1234"), default);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<string> TimelineAsync() =>
        string.Join("\n", (await _inventory.Tracker.TimelineAsync(_host, default)).Select(e => $"{e.Source} {e.State.Name()} {e.Message}"));

    [Fact]
    public async Task PxeCycle_FromOff_SetsPxeOnceThenPowersOn_EachStepOnTheTimeline()
    {
        PowerResult result = await _control.RunAsync(_host, PowerAction.PxeCycle, default);
        Assert.True(result.Done, result.Message);
        Assert.Equal(["pxe-once", "status", "on"], _bmc.Calls);
        Assert.Equal("pw-1234", _bmc.PasswordSeen);
        Assert.Equal("power idle power: cycle into PXE requested (ipmi 192.0.2.21)\npower idle power: next boot from the network, once\npower idle power: powered on (it was off)",
            await TimelineAsync());
    }

    [Fact]
    public async Task Cycle_RefusedByTheBmc_IsOffThenOn()
    {
        _bmc.On = true;
        _bmc.Refuse.Add(PowerCommand.Cycle);
        PowerResult result = await _control.RunAsync(_host, PowerAction.Cycle, default);
        Assert.True(result.Done, result.Message);
        Assert.Equal("powered off and on again", result.Message);
        Assert.Equal(["status", "cycle", "hard-off", "status", "on"], _bmc.Calls);
        Assert.Contains("power: the BMC refused a cycle (not supported here): off, then on", await TimelineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_SoftRefused_IsHard_SoftIgnored_IsHardAfterTheTimeout()
    {
        _bmc.On = true;
        _bmc.Refuse.Add(PowerCommand.SoftOff);
        Assert.Equal("powered off (hard)", (await _control.RunAsync(_host, PowerAction.Off, default)).Message);
        Assert.Equal(["status", "soft-off", "hard-off"], _bmc.Calls);

        _bmc.Calls.Clear();
        _bmc.Refuse.Clear();
        _bmc.On = true;
        _bmc.IgnoreSoftOff = true;
        Assert.Equal("powered off (hard)", (await _control.RunAsync(_host, PowerAction.Off, default)).Message);
        Assert.Equal("status,soft-off", string.Join(',', _bmc.Calls.Take(2)));
        Assert.Equal("hard-off", _bmc.Calls[^1]);
        Assert.Contains("power: still on 3 s after the soft off: cutting the power", await TimelineAsync(), StringComparison.Ordinal);

        _bmc.Calls.Clear();
        Assert.Equal("already off", (await _control.RunAsync(_host, PowerAction.Off, default)).Message);
    }

    [Fact]
    public async Task BmcFailure_IsTheResultAndTheTimeline_StateAndReasonStand()
    {
        await _inventory.Tracker.RequestBuildAsync(_host, EventSources.Api, default);
        _bmc.Fail = "the BMC at 192.0.2.21 did not answer";
        PowerResult result = await _control.RunAsync(_host, PowerAction.On, default);
        Assert.False(result.Done);
        Assert.Equal("the BMC at 192.0.2.21 did not answer", result.Message);
        Assert.EndsWith("power pending power: on failed: the BMC at 192.0.2.21 did not answer", await TimelineAsync(), StringComparison.Ordinal);
        Assert.Equal(BuildState.Pending, (await _inventory.Hosts.FindAsync(_host.ToString(System.Globalization.CultureInfo.InvariantCulture), default))!.State);

        PowerReading reading = await _control.StatusAsync(_host, default);
        Assert.Equal((null, "the BMC at 192.0.2.21 did not answer", "unknown"), (reading.State, reading.Error, reading.Text));
    }

    [Fact]
    public async Task PasswordThatCannotBeDecrypted_IsAFailureInWords_NotACrash_AndNothingIsAsked()
    {
        var otherKeys = new BmcSecrets(DataProtectionProvider.Create(new DirectoryInfo(Directory.CreateTempSubdirectory("other-keys-").FullName)));
        var elsewhere = new PowerControl(new BmcService(_inventory.Database, otherKeys, _inventory.Time), new PowerDrivers(new Dictionary<BmcType, IPowerDriver> { [BmcType.Ipmi] = _bmc }),
            _inventory.Tracker, new PowerReadings(), Options.Create(new PowerOptions()), TimeProvider.System, NullLogger<PowerControl>.Instance);

        PowerResult result = await elsewhere.RunAsync(_host, PowerAction.Cycle, default);
        Assert.False(result.Done);
        Assert.Contains("cannot be decrypted", result.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be decrypted", (await elsewhere.StatusAsync(_host, default)).Error, StringComparison.Ordinal);
        Assert.Contains("power: cycle failed: the stored BMC password cannot be decrypted", await TimelineAsync(), StringComparison.Ordinal);
        Assert.Empty(_bmc.Calls);
    }

    [Fact]
    public async Task NoBmc_IsRefusedBeforeAnythingIsAsked()
    {
        Assert.True(await _bmcs.RemoveAsync(_host, default));
        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() => _control.RunAsync(_host, PowerAction.Cycle, default));
        Assert.Contains("the host has no BMC", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_bmc.Calls);
    }

    [Fact]
    public async Task SecondActionForTheSameHost_WhileOneRuns_IsRefusedOnTheTimeline()
    {
        _bmc.On = true;
        _bmc.Gate = new TaskCompletionSource();
        Task<PowerResult> first = _control.RunAsync(_host, PowerAction.Off, default);
        await _bmc.Waiting.Task;
        PowerResult second = await _control.RunAsync(_host, PowerAction.On, default);
        Assert.False(second.Done);
        Assert.Equal("on refused: off is still running for this host", second.Message);
        _bmc.Gate.SetResult();
        Assert.True((await first).Done);
        Assert.Contains("power: on refused: off is still running for this host", await TimelineAsync(), StringComparison.Ordinal);
        Assert.True((await _control.RunAsync(_host, PowerAction.On, default)).Done);
    }

    /// <summary>A BMC as a script: its power flag, the commands it refuses as unsupported, a failure for everything.</summary>
    private sealed class ScriptedBmc : IPowerDriver
    {
        public bool On { get; set; }

        public bool IgnoreSoftOff { get; set; }

        public string? Fail { get; set; }

        public HashSet<PowerCommand> Refuse { get; } = [];

        public List<string> Calls { get; } = [];

        public string? PasswordSeen { get; private set; }

        /// <summary>When set, a status request waits for it (and says so through <see cref="Waiting"/>): a BMC that is slow to answer.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Waiting { get; } = new();

        public async Task<PowerState> StatusAsync(BmcConnection bmc, CancellationToken cancellationToken)
        {
            Act(bmc, "status");
            if (Gate is { } gate)
            {
                Waiting.TrySetResult();
                await gate.Task;
            }
            return On ? PowerState.On : PowerState.Off;
        }

        public Task PowerAsync(BmcConnection bmc, PowerCommand command, CancellationToken cancellationToken)
        {
            Act(bmc, command switch { PowerCommand.On => "on", PowerCommand.HardOff => "hard-off", PowerCommand.SoftOff => "soft-off", _ => "cycle" });
            if (Refuse.Contains(command))
            {
                throw new PowerException("not supported here", unsupported: true);
            }
            On = command switch { PowerCommand.On or PowerCommand.Cycle => true, PowerCommand.SoftOff => IgnoreSoftOff, _ => false };
            return Task.CompletedTask;
        }

        public Task SetPxeOnceAsync(BmcConnection bmc, CancellationToken cancellationToken)
        {
            Act(bmc, "pxe-once");
            return Task.CompletedTask;
        }

        private void Act(BmcConnection bmc, string call)
        {
            PasswordSeen = bmc.Password;
            if (Fail is not null)
            {
                throw new PowerException(Fail);
            }
            Calls.Add(call);
        }
    }
}
