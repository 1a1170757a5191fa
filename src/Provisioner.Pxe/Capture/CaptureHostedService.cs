using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Metrics;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Provisioner.Pxe.Capture;

/// <summary>
/// Captures ARP and DHCP on the provisioning interfaces with libpcap. SharpPcap delivers packets on
/// its own thread per device, so capture never holds up TFTP or HTTP; frames that do not decode are
/// counted and skipped.
/// </summary>
internal sealed partial class CaptureHostedService(IOptions<CaptureOptions> options, ObservationRecorder recorder, ListenerStatus status, ApplianceMetrics metrics, ILogger<CaptureHostedService> logger)
    : IHostedService, IDisposable
{
    private readonly List<LibPcapLiveDevice> _devices = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Interfaces.Count == 0)
        {
            LogOff();
            return Task.CompletedTask;
        }
        foreach (string name in options.Value.Interfaces)
        {
            _devices.Add(Open(name));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (LibPcapLiveDevice device in _devices)
        {
            device.StopCapture();
            device.Close();
            status.MarkStopped($"capture {device.Name}");
        }
        _devices.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (LibPcapLiveDevice device in _devices)
        {
            device.Dispose();
        }
    }

    private LibPcapLiveDevice Open(string name)
    {
        LibPcapLiveDevice device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == name)
                ?? throw new CaptureException($"capture: no interface '{name}' (available: {string.Join(", ", LibPcapLiveDeviceList.New().Select(d => d.Name))}); check --interface");
            device.Open(new DeviceConfiguration { Mode = DeviceModes.Promiscuous, ReadTimeout = 100, Snaplen = 2048, Immediate = true });
            device.Filter = CaptureOptions.Filter;
        }
        catch (Exception ex) when (ex is PcapException or DllNotFoundException or TypeInitializationException)
        {
            throw new CaptureException($"capture on '{name}' failed: {ex.GetBaseException().Message}. Capturing needs root or CAP_NET_RAW, and libpcap (Debian package libpcap0.8)", ex);
        }
        device.OnPacketArrival += OnPacket;
        device.StartCapture();
        status.MarkListening($"capture {name}", CaptureOptions.Filter);
        LogCapturing(name, CaptureOptions.Filter);
        return device;
    }

    private void OnPacket(object sender, PacketCapture capture)
    {
        RawCapture raw = capture.GetPacket();
        metrics.CapturedPackets.Inc();
        if (FrameDecoder.TryDecode(raw.Data, new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero), out Observation? observation))
        {
            recorder.Post(observation!);
        }
        else
        {
            metrics.CaptureParseFailures.Inc();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Packet capture is off: no --interface given, so MACs are not learnt from DHCP and ARP")]
    private partial void LogOff();

    [LoggerMessage(Level = LogLevel.Information, Message = "Capturing on {Interface} ({Filter})")]
    private partial void LogCapturing(string @interface, string filter);
}
