using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Provisioner.Web.Ui;

/// <summary>
/// Viewers read everything and change nothing: any POST from a non-admin is refused with 403,
/// whatever page it targets, except signing out and changing one's own password. Hiding the
/// buttons is for the eye; this is the rule. It runs after antiforgery validation, so a forged
/// POST is refused (400) before it is even looked at.
/// </summary>
internal sealed class AdminWritesFilter : IAsyncPageFilter
{
    private static readonly HashSet<string> OpenToAll = new(StringComparer.OrdinalIgnoreCase) { "/Login", "/Logout", "/Account" };

    public const string Denied = "403 Forbidden: your account is a viewer's; ask an admin to make this change.\n";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        HttpRequest request = context.HttpContext.Request;
        bool writes = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (writes && !OpenToAll.Contains(context.ActionDescriptor.ViewEnginePath) && !context.HttpContext.User.IsInRole(UiRoles.Admin))
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/plain; charset=utf-8", Content = Denied };
            return Task.CompletedTask;
        }
        return next();
    }
}
