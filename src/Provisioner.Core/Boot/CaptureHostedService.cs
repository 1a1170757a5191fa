using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Metrics;
using Provisioner.Pxe.Capture;

namespace Provisioner.Core.Boot;

/// <summary>
/// Captures ARP and DHCP on the provisioning interfaces (<see cref="LiveCapture"/>) and feeds
/// what it decodes to <see cref="ObservationRecorder"/>; frames that do not decode are counted.
/// </summary>
internal sealed partial class CaptureHostedService(IOptions<CaptureOptions> options, ObservationRecorder recorder, ListenerStatus status, ApplianceMetrics metrics, ILogger<CaptureHostedService> logger)
    : IHostedService, IDisposable
{
    private readonly List<LiveCapture> _captures = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Interfaces.Count == 0)
        {
            LogOff();
            return Task.CompletedTask;
        }
        foreach (string name in options.Value.Interfaces)
        {
            _captures.Add(LiveCapture.Start(name, recorder.Post, () => metrics.CaptureParseFailures.Inc(), () => metrics.CapturedPackets.Inc()));
            status.MarkListening($"capture {name}", CaptureOptions.Filter);
            LogCapturing(name, CaptureOptions.Filter);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (LiveCapture capture in _captures)
        {
            capture.Stop();
            status.MarkStopped($"capture {capture.Name}");
        }
        _captures.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (LiveCapture capture in _captures)
        {
            capture.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Packet capture is off: no --interface given, so MACs are not learnt from DHCP and ARP")]
    private partial void LogOff();

    [LoggerMessage(Level = LogLevel.Information, Message = "Capturing on {Interface} ({Filter})")]
    private partial void LogCapturing(string @interface, string filter);
}
