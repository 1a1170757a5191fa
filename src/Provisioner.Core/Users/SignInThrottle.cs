using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Users;

/// <summary>Limits on password guessing (the web UI's sign-in). Defaults suit one operator mistyping, not a script.</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Failed sign-ins in a row for one user name before it must wait. Default 5.</summary>
    public int FailuresPerUser { get; set; } = 5;

    /// <summary>Failed sign-ins in a row from one address before it must wait. Default 20.</summary>
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>How often one failure is forgiven, per user and per address. Default one a minute.</summary>
    public TimeSpan ForgiveOneEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Password hashes computed at once (each is ~0.3 s of one core). Default half the cores, at least one.</summary>
    public int ConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);
}

/// <summary>
/// Failed sign-ins counted per user name and per client address with ASP.NET Core's rate limiters
/// (token buckets: each failure takes a token, one comes back every <see cref="SignInThrottleOptions.ForgiveOneEvery"/>);
/// a name or address with none left is refused before any hash is computed. And the hashing itself
/// is bounded: 20 parallel wrong passwords once slowed /healthz to 1.8 s.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly SemaphoreSlim _hashing;

    public SignInThrottle(IOptions<SignInThrottleOptions> options)
    {
        SignInThrottleOptions o = options.Value;
        _users = Buckets(o.FailuresPerUser, o.ForgiveOneEvery);
        _addresses = Buckets(o.FailuresPerAddress, o.ForgiveOneEvery);
        _hashing = new SemaphoreSlim(Math.Max(1, o.ConcurrentHashes));
    }

    /// <summary>True when this name or this address has used up its failures: answer 429 without checking the password.</summary>
    public bool IsLimited(string user, string address) =>
        _users.GetStatistics(UserKey(user))?.CurrentAvailablePermits == 0
        || _addresses.GetStatistics(address)?.CurrentAvailablePermits == 0;

    /// <summary>Counts a failed sign-in against the name and the address.</summary>
    public void Failed(string user, string address)
    {
        using RateLimitLease byUser = _users.AttemptAcquire(UserKey(user));
        using RateLimitLease byAddress = _addresses.AttemptAcquire(address);
    }

    /// <summary>Runs a password hash or check when a hashing slot is free.</summary>
    public async Task<T> HashAsync<T>(Func<T> hash, CancellationToken cancellationToken)
    {
        await _hashing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return hash();
        }
        finally
        {
            _hashing.Release();
        }
    }

    public void Dispose()
    {
        _users.Dispose();
        _addresses.Dispose();
        _hashing.Dispose();
    }

    /// <summary>Names are compared as stored (trimmed, lower case) and cut to the longest a user may have.</summary>
    private static string UserKey(string user)
    {
        string key = user.Trim().ToLowerInvariant();
        return key.Length > UserService.MaxNameLength ? key[..UserService.MaxNameLength] : key;
    }

    private static PartitionedRateLimiter<string> Buckets(int failures, TimeSpan forgiveOneEvery) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, failures),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = forgiveOneEvery,
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
}
