using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Power;

/// <summary>
/// Power actions the web UI starts and does not wait for (a soft off may take a minute): each runs in
/// the background until it ends or the appliance stops; its steps and its end are on the host's timeline,
/// which the host page shows live.
/// </summary>
public sealed partial class PowerJobs(PowerControl control, IHostApplicationLifetime lifetime, ILogger<PowerJobs> logger)
{
    public void Start(int hostId, PowerAction action) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await control.RunAsync(hostId, action, lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogJobFailed(ex, action.Name(), hostId);
            }
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Power {Action} of host {HostId} could not be done")]
    private partial void LogJobFailed(Exception ex, string action, int hostId);
}
