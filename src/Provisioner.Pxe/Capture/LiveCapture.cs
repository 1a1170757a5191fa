using SharpPcap;
using SharpPcap.LibPcap;

namespace Provisioner.Pxe.Capture;

/// <summary>
/// libpcap on one interface, with the kernel filter <see cref="CaptureOptions.Filter"/>. SharpPcap
/// delivers packets on its own thread per device, so capture never holds up TFTP or HTTP; each
/// frame is decoded there and handed on, or reported as undecodable.
/// </summary>
public sealed class LiveCapture : IDisposable
{
    private readonly LibPcapLiveDevice _device;
    private readonly Action<Observation> _observed;
    private readonly Action _undecodable;
    private readonly Action _captured;

    private LiveCapture(LibPcapLiveDevice device, Action<Observation> observed, Action undecodable, Action captured)
    {
        _device = device;
        _observed = observed;
        _undecodable = undecodable;
        _captured = captured;
    }

    public string Name => _device.Name;

    /// <summary>
    /// Opens <paramref name="name"/> and starts capturing: each frame is counted (<paramref name="captured"/>),
    /// then handed on decoded or reported as undecodable. A missing interface, libpcap or privilege is a
    /// <see cref="CaptureException"/> with one line for the operator.
    /// </summary>
    public static LiveCapture Start(string name, Action<Observation> observed, Action undecodable, Action captured)
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
        var capture = new LiveCapture(device, observed, undecodable, captured);
        device.OnPacketArrival += capture.OnPacket;
        device.StartCapture();
        return capture;
    }

    public void Stop()
    {
        _device.StopCapture();
        _device.Close();
    }

    public void Dispose() => _device.Dispose();

    private void OnPacket(object sender, SharpPcap.PacketCapture capture)
    {
        RawCapture raw = capture.GetPacket();
        _captured();
        if (FrameDecoder.TryDecode(raw.Data, new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero), out Observation? observation))
        {
            _observed(observation!);
        }
        else
        {
            _undecodable();
        }
    }
}
