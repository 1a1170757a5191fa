using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Hosting;

namespace Provisioner.Web;

/// <summary>Marks HTTP as listening once Kestrel has bound its addresses.</summary>
internal sealed class HttpListenerStatus(IHostApplicationLifetime lifetime, IServer server, ListenerStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string> addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            status.MarkListening("http", string.Join(' ', addresses));
        });
        lifetime.ApplicationStopping.Register(() => status.MarkStopped("http"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
