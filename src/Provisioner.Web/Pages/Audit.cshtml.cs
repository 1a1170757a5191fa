using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Audit;

namespace Provisioner.Web.Pages;

/// <summary>The audit trail: who did each change and build request, newest first, a page at a time, with filters.</summary>
public sealed class AuditModel(AuditTrail trail) : PageModel
{
    public const int PageSize = 50;

    public AuditPage Entries { get; private set; } = new([], false, 0);

    /// <summary>The filters as the query string gave them (<c>actor</c>, <c>action</c>, <c>target</c>), kept in the paging links.</summary>
    public string? Actor { get; private set; }

    public string? Action { get; private set; }

    public string? Target { get; private set; }

    /// <summary>Where this page starts (an entry id); null for the newest.</summary>
    public long? Before { get; private set; }

    public async Task OnGetAsync(string? actor, string? action, string? target, long? before, CancellationToken cancellationToken)
    {
        Actor = actor;
        Action = action is not null && AuditActions.IsActionOrKind(action) ? action.ToLowerInvariant() : null;
        Target = target;
        Before = before;
        Entries = await trail.PageAsync(new AuditQuery(Actor, Action, Target), before, PageSize, cancellationToken);
    }

    /// <summary>This page's filters with <paramref name="before"/> as the start.</summary>
    public string Link(long? before)
    {
        var query = new Dictionary<string, string?> { ["actor"] = Actor, ["action"] = Action, ["target"] = Target };
        if (before is { } id)
        {
            query["before"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/audit", query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}
