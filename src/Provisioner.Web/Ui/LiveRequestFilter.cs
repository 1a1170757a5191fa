using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Provisioner.Web.Ui;

/// <summary>
/// A page fetched again by ui.js for its live parts (header <c>X-Live: 1</c>) must not use up a
/// one-time message (TempData) that the operator's own next page load is about to show.
/// </summary>
internal sealed class LiveRequestFilter(ITempDataDictionaryFactory tempData) : IAsyncPageFilter
{
    public const string Header = "X-Live";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await next();
        if (context.HttpContext.Request.Headers[Header] == "1")
        {
            tempData.GetTempData(context.HttpContext).Keep();
        }
    }
}
