using SharpPcap;
using SharpPcap.LibPcap;

namespace Provisioner.Pxe.Tests.Capture;

/// <summary>Frames of the captured fixtures (see Fixtures/make-fixtures.sh), read with SharpPcap's file reader.</summary>
internal static class PcapFixtures
{
    public static List<(byte[] Frame, DateTimeOffset At)> Read(string name)
    {
        using var device = new CaptureFileReaderDevice(Path.Join(AppContext.BaseDirectory, "Capture", "Fixtures", name));
        device.Open();
        var frames = new List<(byte[], DateTimeOffset)>();
        while (device.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
        {
            RawCapture raw = capture.GetPacket();
            frames.Add((raw.Data, new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero)));
        }
        return frames;
    }
}
