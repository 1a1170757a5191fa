using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Users;

/// <summary>At the first start, creates the <c>admin</c> account and says where its password is. Runs after the migrations.</summary>
internal sealed partial class InitialAdmin(UserService users, ILogger<InitialAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.EnsureAdminAsync(cancellationToken).ConfigureAwait(false) is { } path)
        {
            LogCreated(path);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web UI: user 'admin' created; its password is in {Path} (readable by this user only). Sign in and change it")]
    private partial void LogCreated(string path);
}
