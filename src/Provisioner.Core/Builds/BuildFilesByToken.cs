using Provisioner.Core.Builds.Lifecycle;
using Provisioner.Core.Hosting;
using Provisioner.Core.Inventory;

namespace Provisioner.Core.Builds;

/// <summary>
/// The host a build's token (in a preseed or finish-script URL) belongs to, while the lifecycle still
/// gives that build its files (<see cref="Entitlement.Preseed"/>); null for a malformed token, an
/// unknown one, or one whose build has ended.
/// </summary>
internal static class BuildFilesByToken
{
    public const string NoBuild = "no build in progress has this token";

    public static async ValueTask<HostRecord?> FindAsync(HostDirectory hosts, string token, ApplianceIdentity? appliance, CancellationToken cancellationToken) =>
        BuildTokens.IsWellFormed(token)
        && await hosts.FindByTokenAsync(token, cancellationToken).ConfigureAwait(false) is { } host
        && BuildLifecycle.EntitlementOf(HostBuild.Of(host, appliance)).Preseed
            ? host
            : null;
}
