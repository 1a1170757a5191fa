using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Dhcp;

namespace Provisioner.Web.Api;

/// <summary><c>GET /api/dhcp/leases</c>: the DHCP server's leases in address order; <c>active=true</c> for those held now.</summary>
public static class DhcpLeaseEndpoints
{
    public static RouteGroupBuilder MapDhcpLeaseApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dhcp/leases", List);
        return api;
    }

    /// <param name="Active">Held now: offered or bound and not expired, or quarantined.</param>
    public sealed record DhcpLeaseDto(string Address, string Mac, string? Hostname, string State, bool Active, DateTime ExpiresAt, DateTime UpdatedAt, string? Appliance, string? Reason)
    {
        public static DhcpLeaseDto From(DhcpLease l, DateTime now) => new(l.Address, l.Mac, l.Hostname, l.State.ToString().ToLowerInvariant(), l.IsActive(now),
            DateTime.SpecifyKind(l.ExpiresAt, DateTimeKind.Utc), DateTime.SpecifyKind(l.UpdatedAt, DateTimeKind.Utc), l.Appliance, l.Reason);
    }

    internal static async Task<Ok<List<DhcpLeaseDto>>> List(bool? active, DhcpLeaseList leases, TimeProvider time, CancellationToken ct)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        List<DhcpLease> list = await leases.ListAsync(active == true, ct).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(l => DhcpLeaseDto.From(l, now)).ToList());
    }
}
