using Microsoft.EntityFrameworkCore;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// Whether the inventory answers queries, for <c>/healthz</c>: a damaged database once let the
/// appliance report "ok" while the host list answered 500. One count over the hosts (it reads every
/// page of the table) at most every <see cref="Reuse"/>, however often the probe asks.
/// </summary>
public sealed class InventoryHealth(InventoryDatabase database, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string? Problem, long At)? _last;

    /// <summary>Null when the inventory answers; otherwise one line saying what fails.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } known)
        {
            return known.Problem;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } meanwhile)
            {
                return meanwhile.Problem;
            }
            string? problem = null;
            try
            {
                await using InventoryDbContext db = database.CreateContext();
                await db.Hosts.CountAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                problem = $"inventory database ({database.Description}) fails queries: {ex.GetBaseException().Message}";
            }
            _last = (problem, time.GetTimestamp());
            return problem;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private (string? Problem, long At)? Fresh() =>
        _last is { } last && time.GetElapsedTime(last.At) < Reuse ? last : null;
}
