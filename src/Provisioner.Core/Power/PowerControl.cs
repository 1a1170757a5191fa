using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Power;

/// <summary>
/// Power actions on a host through its BMC, the same sequence for every driver, each step on the
/// host's timeline (source <c>power</c>; the request with who asked). Off is soft first and hard
/// when the BMC refuses soft or the machine is still on after <see cref="PowerOptions.SoftOffTimeout"/>;
/// cycle from off is on; a BMC that refuses its own cycle (some do, in some states) gets off, then on.
/// </summary>
public sealed partial class PowerControl(BmcService bmcs, PowerDrivers drivers, BuildTracker tracker, PowerReadings readings,
    IOptions<PowerOptions> options, TimeProvider time, ILogger<PowerControl> logger, Metrics.ApplianceMetrics? metrics = null)
{
    private static readonly TimeSpan OffPoll = TimeSpan.FromSeconds(2);

    /// <summary>BMCs asked at the same time by <see cref="RunManyAsync"/>.</summary>
    public const int ManyAtOnce = 8;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, PowerAction> _running = new();

    /// <summary>Reads the host's power state; a BMC that does not answer (or a password that cannot be decrypted) gives a reading with the reason, not "off".</summary>
    public async Task<PowerReading> StatusAsync(int hostId, CancellationToken cancellationToken)
    {
        PowerReading reading;
        try
        {
            BmcConnection bmc = await ConnectionAsync(hostId, cancellationToken).ConfigureAwait(false);
            reading = new(await drivers.For(bmc.Type).StatusAsync(bmc, cancellationToken).ConfigureAwait(false), null, time.GetUtcNow());
        }
        catch (PowerException ex)
        {
            reading = new(null, ex.Message, time.GetUtcNow());
        }
        readings.Set(hostId, reading);
        return reading;
    }

    /// <summary>Does <paramref name="action"/>; the BMC's refusal is the result's message (and on the timeline), not an exception.</summary>
    public async Task<PowerResult> RunAsync(int hostId, PowerAction action, CancellationToken cancellationToken)
    {
        BmcConnection bmc;
        try
        {
            bmc = await ConnectionAsync(hostId, cancellationToken).ConfigureAwait(false);
        }
        catch (PowerException unusable)
        {
            // The stored password cannot be decrypted: nothing was asked of the BMC; the host page says why.
            await tracker.NotePowerAsync(hostId, $"{action.Name()} failed: {unusable.Message}", requested: true, cancellationToken).ConfigureAwait(false);
            metrics?.PowerActions.WithLabels(Label(action), "failed").Inc();
            return new PowerResult(action, false, unusable.Message);
        }
        IPowerDriver driver = drivers.For(bmc.Type);
        // One action per host at a time (a second click, a bulk action over a single one): interleaved, an
        // off and an on would leave the machine in whichever state came last.
        if (!_running.TryAdd(hostId, action))
        {
            string busy = $"{action.Name()} refused: {_running.GetValueOrDefault(hostId).Name()} is still running for this host";
            await tracker.NotePowerAsync(hostId, busy, requested: true, cancellationToken).ConfigureAwait(false);
            metrics?.PowerActions.WithLabels(Label(action), "refused").Inc();
            return new PowerResult(action, false, busy);
        }
        try
        {
            PowerResult result = await RunAloneAsync(hostId, action, bmc, driver, cancellationToken).ConfigureAwait(false);
            metrics?.PowerActions.WithLabels(Label(action), result.Done ? "done" : "failed").Inc();
            return result;
        }
        finally
        {
            _running.TryRemove(hostId, out _);
        }
    }

    /// <summary>
    /// <paramref name="action"/> for every host at once, at most <see cref="ManyAtOnce"/> BMCs asked together, so a
    /// slow one delays none of the others; a result per host, in the order given (a host without a BMC: refused, in words).
    /// </summary>
    public async Task<PowerResult[]> RunManyAsync(IReadOnlyList<int> hostIds, PowerAction action, CancellationToken cancellationToken)
    {
        var results = new PowerResult[hostIds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, hostIds.Count), new ParallelOptions { MaxDegreeOfParallelism = ManyAtOnce, CancellationToken = cancellationToken }, async (i, token) =>
        {
            try
            {
                results[i] = await RunAsync(hostIds[i], action, token).ConfigureAwait(false);
            }
            catch (InventoryException refused)
            {
                results[i] = new PowerResult(action, false, string.Join("; ", refused.Errors.Select(e => e.Message)));
            }
        }).ConfigureAwait(false);
        return results;
    }

    private async Task<PowerResult> RunAloneAsync(int hostId, PowerAction action, BmcConnection bmc, IPowerDriver driver, CancellationToken cancellationToken)
    {
        await tracker.NotePowerAsync(hostId, $"{action.Name()} requested ({bmc.Type.Name()} {bmc.Address})", requested: true, cancellationToken).ConfigureAwait(false);
        try
        {
            string done = action switch
            {
                PowerAction.On => await OnAsync(driver, bmc, cancellationToken).ConfigureAwait(false),
                PowerAction.Off => await OffAsync(hostId, driver, bmc, cancellationToken).ConfigureAwait(false),
                PowerAction.Cycle => await CycleAsync(hostId, driver, bmc, cancellationToken).ConfigureAwait(false),
                PowerAction.PxeCycle => await PxeCycleAsync(hostId, driver, bmc, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(action)),
            };
            await tracker.NotePowerAsync(hostId, done, requested: false, cancellationToken).ConfigureAwait(false);
            PowerState expected = action == PowerAction.Off ? PowerState.Off : PowerState.On;
            readings.Set(hostId, new PowerReading(expected, null, time.GetUtcNow()));
            return new PowerResult(action, true, done, expected);
        }
        catch (PowerException ex)
        {
            LogActionFailed(action.Name(), hostId, ex.Message);
            await tracker.NotePowerAsync(hostId, $"{action.Name()} failed: {ex.Message}", requested: false, CancellationToken.None).ConfigureAwait(false);
            return new PowerResult(action, false, ex.Message);
        }
    }

    /// <summary>The action as a metric label: one word.</summary>
    private static string Label(PowerAction action) => action == PowerAction.PxeCycle ? "pxe" : action.Name();

    private async Task<BmcConnection> ConnectionAsync(int hostId, CancellationToken cancellationToken) =>
        await bmcs.ConnectionAsync(hostId, cancellationToken).ConfigureAwait(false)
            ?? throw new InventoryException(InventoryErrorKind.Invalid, [new("bmc", "the host has no BMC: set one first (provisioner hosts bmc NAME --type ipmi --address … --user … --password-stdin)")]);

    private static async Task<string> OnAsync(IPowerDriver driver, BmcConnection bmc, CancellationToken cancellationToken)
    {
        if (await driver.StatusAsync(bmc, cancellationToken).ConfigureAwait(false) == PowerState.On)
        {
            return "already on";
        }
        await driver.PowerAsync(bmc, PowerCommand.On, cancellationToken).ConfigureAwait(false);
        return "powered on";
    }

    private async Task<string> OffAsync(int hostId, IPowerDriver driver, BmcConnection bmc, CancellationToken cancellationToken)
    {
        if (await driver.StatusAsync(bmc, cancellationToken).ConfigureAwait(false) == PowerState.Off)
        {
            return "already off";
        }
        try
        {
            await driver.PowerAsync(bmc, PowerCommand.SoftOff, cancellationToken).ConfigureAwait(false);
        }
        catch (PowerException ex) when (ex.Unsupported)
        {
            await tracker.NotePowerAsync(hostId, $"soft off refused ({ex.Message}): cutting the power", requested: false, cancellationToken).ConfigureAwait(false);
            await driver.PowerAsync(bmc, PowerCommand.HardOff, cancellationToken).ConfigureAwait(false);
            return "powered off (hard)";
        }
        await tracker.NotePowerAsync(hostId, "soft off sent (ACPI): waiting for the system to shut down", requested: false, cancellationToken).ConfigureAwait(false);
        if (await WaitForOffAsync(driver, bmc, options.Value.SoftOffTimeout, cancellationToken).ConfigureAwait(false))
        {
            return "powered off (soft)";
        }
        await tracker.NotePowerAsync(hostId, $"still on {options.Value.SoftOffTimeout.TotalSeconds:0} s after the soft off: cutting the power", requested: false, cancellationToken).ConfigureAwait(false);
        await driver.PowerAsync(bmc, PowerCommand.HardOff, cancellationToken).ConfigureAwait(false);
        return "powered off (hard)";
    }

    private async Task<string> CycleAsync(int hostId, IPowerDriver driver, BmcConnection bmc, CancellationToken cancellationToken)
    {
        if (await driver.StatusAsync(bmc, cancellationToken).ConfigureAwait(false) == PowerState.Off)
        {
            await driver.PowerAsync(bmc, PowerCommand.On, cancellationToken).ConfigureAwait(false);
            return "powered on (it was off)";
        }
        try
        {
            await driver.PowerAsync(bmc, PowerCommand.Cycle, cancellationToken).ConfigureAwait(false);
            return "power cycled";
        }
        catch (PowerException ex) when (ex.Unsupported)
        {
            await tracker.NotePowerAsync(hostId, $"the BMC refused a cycle ({ex.Message}): off, then on", requested: false, cancellationToken).ConfigureAwait(false);
        }
        await driver.PowerAsync(bmc, PowerCommand.HardOff, cancellationToken).ConfigureAwait(false);
        if (!await WaitForOffAsync(driver, bmc, options.Value.RequestTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new PowerException($"the BMC at {bmc.Address} accepted power off but still reports the machine on");
        }
        await driver.PowerAsync(bmc, PowerCommand.On, cancellationToken).ConfigureAwait(false);
        return "powered off and on again";
    }

    private async Task<string> PxeCycleAsync(int hostId, IPowerDriver driver, BmcConnection bmc, CancellationToken cancellationToken)
    {
        await driver.SetPxeOnceAsync(bmc, cancellationToken).ConfigureAwait(false);
        await tracker.NotePowerAsync(hostId, $"next boot from the network, once{(bmc.UefiBoot ? " (UEFI)" : string.Empty)}", requested: false, cancellationToken).ConfigureAwait(false);
        return await CycleAsync(hostId, driver, bmc, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> WaitForOffAsync(IPowerDriver driver, BmcConnection bmc, TimeSpan limit, CancellationToken cancellationToken)
    {
        DateTimeOffset until = time.GetUtcNow() + limit;
        while (time.GetUtcNow() < until)
        {
            await Task.Delay(OffPoll, time, cancellationToken).ConfigureAwait(false);
            if (await driver.StatusAsync(bmc, cancellationToken).ConfigureAwait(false) == PowerState.Off)
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power {Action} of host {HostId} failed: {Reason}")]
    private partial void LogActionFailed(string action, int hostId, string reason);
}
