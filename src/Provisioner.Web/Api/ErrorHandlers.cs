using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Web.Api;

/// <summary>
/// Refused inventory changes (hosts, keys, tokens) become RFC 7807 problem details listing every field error; template
/// errors become a 500 whose text names the template file and line. Nothing half-done is sent.
/// </summary>
internal sealed partial class ErrorHandlers(IProblemDetailsService problems, ILogger<ErrorHandlers> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case InventoryException refused:
                context.Response.StatusCode = refused.Kind switch
                {
                    InventoryErrorKind.NotFound => StatusCodes.Status404NotFound,
                    InventoryErrorKind.Conflict => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status400BadRequest,
                };
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = context.Response.StatusCode,
                        Title = refused.Kind switch
                        {
                            InventoryErrorKind.NotFound => "Not found",
                            InventoryErrorKind.Conflict => "Already in use",
                            _ => "Invalid input",
                        },
                        Detail = refused.Message,
                        Extensions = { ["errors"] = refused.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) },
                    },
                }).ConfigureAwait(false);
            case TemplateException broken:
                LogTemplateError(broken.Message, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"template error: {broken.Message}\n", cancellationToken).ConfigureAwait(false);
                return true;
            case BadHttpRequestException bad:
                context.Response.StatusCode = bad.StatusCode;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = bad.StatusCode,
                        Title = "Bad request",
                        // The JSON reader's message names the path and position ("$.dns | LineNumber: 0 ...").
                        Detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message,
                    },
                }).ConfigureAwait(false);
            default:
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Template error: {Error} (request {Path})")]
    private partial void LogTemplateError(string error, string path);
}
