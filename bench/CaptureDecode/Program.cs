using System.Diagnostics;
using Provisioner.Pxe.Capture;
using SharpPcap;
using SharpPcap.LibPcap;

// Reads every frame of the file into memory first, so the figure is the decoder's, not the disk's;
// then decodes them all, RUNS times, and prints the best rate: "frames decoded frames/s".
string path = args[0];
int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var frames = new List<(byte[] Data, DateTimeOffset At)>();
using (var device = new CaptureFileReaderDevice(path))
{
    device.Open();
    while (device.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
    {
        RawCapture raw = capture.GetPacket();
        frames.Add((raw.Data, new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero)));
    }
}
double best = 0;
int decoded = 0;
for (int run = 0; run < runs; run++)
{
    decoded = 0;
    long start = Stopwatch.GetTimestamp();
    foreach ((byte[] data, DateTimeOffset at) in frames)
    {
        decoded += FrameDecoder.TryDecode(data, at, out _) ? 1 : 0;
    }
    best = Math.Max(best, frames.Count / Stopwatch.GetElapsedTime(start).TotalSeconds);
}
Console.WriteLine($"{frames.Count} {decoded} {best:0}");
