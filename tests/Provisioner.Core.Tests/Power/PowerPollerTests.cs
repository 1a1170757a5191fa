using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Power;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Power;

public sealed class PowerPollerTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 120)]
    [InlineData(3, 480)]
    [InlineData(4, 600)]
    [InlineData(40, 600)]
    public void Backoff_DoublesPerFailureInARow_UpToTheMaximum(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PowerPoller.Backoff(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), failures));

    /// <summary>
    /// A BMC that does not answer (its read hangs) is not read again while its read is under way, and the
    /// others are read on their own schedule meanwhile: twice, two intervals apart, while it still hangs.
    /// </summary>
    [Fact]
    public async Task HangingBmc_DoesNotHoldBackTheOthersReads()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var bmcs = new BmcService(inventory.Database, new BmcSecrets(DataProtectionProvider.Create(new DirectoryInfo(Path.Join(inventory.Dir, "keys")))), inventory.Time);
        int good = (await inventory.Hosts.CreateAsync(TestInventory.Sample(1), default)).Id;
        int hanging = (await inventory.Hosts.CreateAsync(TestInventory.Sample(2), default)).Id;
        await bmcs.SetAsync(good, new BmcSettings("ipmi", "192.0.2.201", "admin", "pw"), default);
        await bmcs.SetAsync(hanging, new BmcSettings("ipmi", "192.0.2.202", "admin", "pw"), default);
        var driver = new HangingAt("192.0.2.202");
        var options = Options.Create(new PowerOptions { PollInterval = TimeSpan.FromSeconds(60), PollConcurrency = 2 });
        var readings = new PowerReadings();
        var control = new PowerControl(bmcs, new PowerDrivers(new Dictionary<BmcType, IPowerDriver> { [BmcType.Ipmi] = driver }), inventory.Tracker, readings,
            options, inventory.Time, NullLogger<PowerControl>.Instance);
        var poller = new PowerPoller(bmcs, control, readings, options, inventory.Time, NullLogger<PowerPoller>.Instance);

        await poller.StartDueAsync(default);
        await driver.Hung.Task;
        await WaitForAsync(() => driver.Reads("192.0.2.201") == 1 && !poller.IsReading(good));
        inventory.Time.Advance(TimeSpan.FromSeconds(61));
        await poller.StartDueAsync(default);
        await WaitForAsync(() => driver.Reads("192.0.2.201") == 2);
        Assert.Equal(PowerState.On, readings.Of(good)!.State);
        Assert.Equal(1, driver.Reads("192.0.2.202"));
        Assert.Null(readings.Of(hanging));

        driver.Release.SetResult();
        await poller.ReadsAsync();
        Assert.Equal(PowerState.On, readings.Of(hanging)!.State);
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        for (int i = 0; i < 500 && !done(); i++)
        {
            await Task.Delay(20);
        }
        Assert.True(done());
    }

    /// <summary>A stand-in for BMCs (none runs in a unit test): every one answers "on" at once, but the one at <c>hang</c> only when released.</summary>
    private sealed class HangingAt(string hang) : IPowerDriver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();

        public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads(string address) => _reads.GetValueOrDefault(address);

        public async Task<PowerState> StatusAsync(BmcConnection bmc, CancellationToken cancellationToken)
        {
            _reads.AddOrUpdate(bmc.Address, 1, (_, n) => n + 1);
            if (bmc.Address == hang)
            {
                Hung.TrySetResult();
                await Release.Task;
            }
            return PowerState.On;
        }

        public Task PowerAsync(BmcConnection bmc, PowerCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetPxeOnceAsync(BmcConnection bmc, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
