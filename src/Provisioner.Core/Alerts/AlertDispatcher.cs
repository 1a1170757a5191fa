using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds;
using Provisioner.Core.Events;
using Provisioner.Core.Inventory;
using Provisioner.Core.Metrics;

namespace Provisioner.Core.Alerts;

/// <summary>
/// Turns ended builds into alerts: kept for the dashboard, POSTed to each webhook and piped to the
/// command. Each target is served on its own task with its own retries, so a slow or dead target
/// delays nothing else: not the build, not the other targets, not the next alert.
/// </summary>
public sealed partial class AlertDispatcher(IEventBus bus, HostService hosts, InstallerLogs logs, RecentAlerts recent, WebhookSender webhooks,
    AlertCommand command, ApplianceMetrics metrics, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        await foreach (ProvisionerEvent published in bus.SubscribeAsync(stoppingToken).ConfigureAwait(false))
        {
            if (published is not BuildEnded ended || (ended.State == BuildState.Installed && !options.Value.NotifyInstalled))
            {
                continue;
            }
            try
            {
                if (await ComposeAsync(ended, stoppingToken).ConfigureAwait(false) is { } alert)
                {
                    running.RemoveAll(t => t.IsCompleted);
                    running.AddRange(Send(alert, stoppingToken));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogComposeFailed(ex, ended.HostId);
            }
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task<Alert?> ComposeAsync(BuildEnded ended, CancellationToken cancellationToken)
    {
        HostRecord? host = await hosts.FindAsync(ended.HostId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return null;
        }
        string kind = ended.State == BuildState.Installed ? "build.installed" : ended.Stalled ? "build.stalled" : "build.failed";
        List<InstallerLogLine> tail = await logs.ReadAsync(host.Id, Math.Max(1, options.Value.LogLines), cancellationToken).ConfigureAwait(false);
        var alert = new Alert(kind, ended.At, new AlertHost(host.Id, host.Hostname, host.Mac, $"{host.Ip}/{host.PrefixLength}", host.Profile),
            ended.State.Name(), ended.Reason, tail.Select(l => l.Text).ToList());
        LogAlert(kind, host.Hostname, ended.Reason ?? string.Empty);
        metrics.Alerts.WithLabels(kind).Inc();
        recent.Add(alert);
        Refresh(alert);
        return alert;
    }

    private IEnumerable<Task> Send(Alert alert, CancellationToken stoppingToken)
    {
        foreach (string url in options.Value.Webhooks.Where(u => !string.IsNullOrWhiteSpace(u)))
        {
            yield return Deliver(alert, url, () => webhooks.SendAsync(url, alert, stoppingToken));
        }
        if (!string.IsNullOrWhiteSpace(options.Value.Command))
        {
            yield return Deliver(alert, "command", () => command.RunAsync(options.Value.Command, alert, stoppingToken));
        }
    }

    private async Task Deliver(Alert alert, string target, Func<Task<AlertDelivery>> send)
    {
        // Off the dispatch loop at once: the next alert must not wait for this target.
        await Task.Yield();
        AlertDelivery delivery;
        try
        {
            delivery = await send().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        recent.Delivered(alert, delivery with { Target = target });
        metrics.AlertDeliveries.WithLabels(delivery.Delivered ? "sent" : "failed").Inc();
        Refresh(alert);
    }

    /// <summary>Open dashboards show the alert and its deliveries as they happen.</summary>
    private void Refresh(Alert alert) => bus.Publish(new HostChanged(time.GetUtcNow(), alert.Host.Id));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Event} for {Hostname}: {Reason}")]
    private partial void LogAlert(string @event, string hostname, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not compose the alert for host {HostId}")]
    private partial void LogComposeFailed(Exception ex, int hostId);
}
