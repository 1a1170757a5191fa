using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Logging;

namespace Provisioner.Web;

/// <summary>Every log line written while a request is served carries its client as <c>peer</c> (json and systemd log formats).</summary>
public static class RequestLogScope
{
    public static WebApplication UseRequestLogScope(this WebApplication app)
    {
        // Scopes are shared by every logger of the factory: one begun here reaches every component's lines.
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLogScope));
        app.Use(async (context, next) =>
        {
            using IDisposable? scope = LogScope.Begin(logger, peer: context.Connection.RemoteIpAddress);
            await next(context).ConfigureAwait(false);
        });
        return app;
    }
}
