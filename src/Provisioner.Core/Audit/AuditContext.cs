namespace Provisioner.Core.Audit;

/// <summary>
/// The actor of the operation running now, set once where a request or command enters (the web
/// middleware after authentication, the CLI at start) and read where changes are saved, so that no
/// call path between can forget to pass it. Flows with the async context as
/// <see cref="System.Security.Claims.ClaimsPrincipal"/> does with <c>HttpContext.User</c>.
/// </summary>
public static class AuditContext
{
    private static readonly AsyncLocal<Actor?> Ambient = new();

    /// <summary>The actor set for this operation; <see cref="Actor.Appliance"/> when none was (background work).</summary>
    public static Actor Current => Ambient.Value ?? Actor.Appliance;

    /// <summary>Sets the actor until the returned scope is disposed.</summary>
    public static IDisposable Begin(Actor actor)
    {
        Actor? previous = Ambient.Value;
        Ambient.Value = actor;
        return new Scope(previous);
    }

    private sealed class Scope(Actor? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
