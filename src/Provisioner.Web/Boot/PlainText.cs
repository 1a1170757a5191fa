using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioner.Web.Boot;

/// <summary>Answers for installers and boot loaders: plain text, never JSON, a 404 with its one-line reason.</summary>
internal static class PlainText
{
    private const string ContentType = "text/plain; charset=utf-8";

    public static ContentHttpResult Ok(string text) => TypedResults.Text(text, ContentType);

    public static ContentHttpResult TooLarge(string reason) => TypedResults.Text(reason, ContentType, statusCode: StatusCodes.Status413PayloadTooLarge);

    public static ContentHttpResult NotFound(string reason) => TypedResults.Text(reason, ContentType, statusCode: StatusCodes.Status404NotFound);
}
