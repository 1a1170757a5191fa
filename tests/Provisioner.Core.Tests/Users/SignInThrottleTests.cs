using Microsoft.Extensions.Options;
using Provisioner.Core.Users;

namespace Provisioner.Core.Tests.Users;

public sealed class SignInThrottleTests
{
    // An hour between forgiven failures: nothing is forgiven while a test runs, however slow the machine.
    private static SignInThrottle Throttle(int concurrentHashes = 1) => new(Options.Create(new SignInThrottleOptions
    {
        FailuresPerUser = 5, FailuresPerAddress = 20, ForgiveOneEvery = TimeSpan.FromHours(1), ConcurrentHashes = concurrentHashes,
    }));

    [Fact]
    public void FailuresForOneUser_FromManyAddresses_LimitThatUserOnly()
    {
        using SignInThrottle throttle = Throttle();
        for (int i = 0; i < 5; i++)
        {
            Assert.False(throttle.IsLimited("admin", $"192.0.2.{i + 1}"));
            throttle.Failed(" Admin ", $"192.0.2.{i + 1}");
        }

        Assert.True(throttle.IsLimited("admin", "192.0.2.99"));
        Assert.False(throttle.IsLimited("bob", "192.0.2.99"));
    }

    [Fact]
    public void FailuresFromOneAddress_AcrossNames_LimitThatAddress()
    {
        using SignInThrottle throttle = Throttle();
        for (int i = 0; i < 20; i++)
        {
            throttle.Failed($"user{i}", "192.0.2.7");
        }

        Assert.True(throttle.IsLimited("someone-new", "192.0.2.7"));
        Assert.False(throttle.IsLimited("someone-new", "192.0.2.8"));
    }

    /// <summary>20 parallel wrong passwords once took every core: only the allowed number hash at once.</summary>
    [Fact]
    public async Task Hashing_ParallelChecks_AtMostTheAllowedNumberAtOnce()
    {
        using SignInThrottle throttle = Throttle(concurrentHashes: 2);
        using var release = new ManualResetEventSlim();
        int running = 0, most = 0, asked = 0;
        Task<bool>[] checks = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            Interlocked.Increment(ref asked);
            return throttle.HashAsync(() =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                release.Wait(TimeSpan.FromMinutes(1));
                Interlocked.Decrement(ref running);
                return true;
            }, default);
        }))];
        for (int i = 0; i < 600 && (Volatile.Read(ref asked) < 8 || Volatile.Read(ref running) < 2); i++)
        {
            await Task.Delay(50);
        }
        // Time for any check that got past the bound to show; the assertion does not depend on it.
        await Task.Delay(200);
        int atOnce = Volatile.Read(ref running);
        release.Set();
        await Task.WhenAll(checks);

        Assert.Equal(2, atOnce);
        Assert.Equal(2, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
