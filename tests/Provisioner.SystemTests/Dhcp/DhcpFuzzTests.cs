using System.Buffers.Binary;
using System.Net;
using Provisioner.Pxe.Dhcp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Dhcp;

/// <summary>
/// 100,000 random and mutated DHCP messages at the running server: every one is dropped and counted
/// or answered, none makes an error, memory stays bounded, and a real client still gets its lease.
/// </summary>
[Trait("Category", "System")]
public sealed class DhcpFuzzTests(Xunit.Abstractions.ITestOutputHelper output) : NamespaceTest
{
    private const int Messages = 100_000;
    /// <summary>Sent before waiting for the server to account for them: what its 256 KiB socket buffer holds.</summary>
    private const int Batch = 200;

    [Fact]
    public async Task HundredThousandRandomAndMutatedMessages_AreDroppedOrAnswered_NeverAnError_AndTheServerStillServes()
    {
        DhcpSite site = await DhcpSite.CreateAsync(Lab, Files.Dir("site"), DhcpSite.DefaultDhcp(probeTimeout: "00:00:00", offerHold: "00:00:05"));
        NetworkNamespace fuzzer = await site.AddClientAsync("02:00:00:00:23:f0");
        await ProcessRunner.RunCheckedAsync("ip", "-n", fuzzer.Name, "addr", "add", "192.0.2.240/24", "dev", "eth0");
        NetworkNamespace client = await site.AddClientAsync("02:00:00:00:23:f1");
        using RawDhcpClient raw = RawDhcpClient.Open(fuzzer, server: new IPEndPoint(IPAddress.Parse(DhcpSite.ServerAddress), 67));
        await site.StartAsync();
        long rssBefore = ResidentBytes(site.Appliance!.Id);

        var random = new Random(23);
        int sent = 0;
        while (sent < Messages)
        {
            for (int i = 0; i < Batch; i++, sent++)
            {
                await raw.SendRawAsync(Fuzzed(random));
            }
            // Each batch read before the next: the kernel drops what overflows a socket, and the test counts what the server saw.
            await NamespaceLab.WaitForAsync(async () => (await MetricsAsync(site)).Where(s => s.Name == "provisioner_dhcp_messages_total").Sum(s => s.Value) >= sent,
                TimeSpan.FromSeconds(60), $"the server to account for {sent} messages");
        }

        IReadOnlyList<PrometheusSample> metrics = await MetricsAsync(site);
        string counts = string.Join(", ", metrics.Where(s => s.Name.StartsWith("provisioner_dhcp_", StringComparison.Ordinal)).Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Values)}}} {s.Value}"));
        Assert.Equal(Messages, metrics.Where(s => s.Name == "provisioner_dhcp_messages_total").Sum(s => s.Value));
        Assert.Equal(0, metrics.Value("provisioner_dhcp_messages_total", ("result", "failed")));
        Assert.True(metrics.Value("provisioner_dhcp_messages_total", ("result", "malformed")) > Messages / 4, counts);
        Assert.True(metrics.Value("provisioner_dhcp_messages_total", ("result", "answered")) > 0, counts);
        Assert.DoesNotContain("could not answer", site.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", site.Log(), StringComparison.Ordinal);
        long rssAfter = ResidentBytes(site.Appliance.Id);
        output.WriteLine($"resident memory {rssBefore >> 20} MiB before, {rssAfter >> 20} MiB after; {counts}");
        Assert.True(rssAfter - rssBefore < 128L << 20, $"resident memory grew from {rssBefore >> 20} MiB to {rssAfter >> 20} MiB");

        // Still serving: a real client gets an address (the fuzz's offers held the pool for 5 s each).
        ProcessResult lease = await DhcpClientTests.DhclientAsync(client, site.Dir, Path.Join(site.Dir, "dhclient.leases"));
        Assert.Contains("DHCPACK of 192.0.2.", lease.Output, StringComparison.Ordinal);
    }

    /// <summary>A message built to be almost right, then broken one of several ways (or pure noise).</summary>
    private static byte[] Fuzzed(Random random)
    {
        int kind = random.Next(10);
        if (kind == 0)
        {
            byte[] noise = new byte[random.Next(0, 700)];
            random.NextBytes(noise);
            return noise;
        }
        byte[] message = Valid(random);
        switch (kind)
        {
            case 1 or 2:
                return message[..random.Next(0, message.Length)];
            case 3 or 4 or 5:
                for (int flips = random.Next(1, 9); flips > 0; flips--)
                {
                    message[random.Next(message.Length)] = (byte)random.Next(256);
                }
                return message;
            case 6:
                // An option whose length runs past the end.
                message[243] = 250;
                return message;
            case 7:
                message[242] = (byte)random.Next(256); // any message type
                return message;
            default:
                return message;
        }
    }

    /// <summary>A well-formed client message: a random type, MAC and transaction, some options.</summary>
    private static byte[] Valid(Random random)
    {
        byte[] packet = new byte[300];
        packet[0] = 1;
        packet[1] = 1;
        packet[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)random.Next());
        packet[28] = 0x02;
        random.NextBytes(packet.AsSpan(29, 5));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(236), 0x63825363);
        packet[240] = 53;
        packet[241] = 1;
        packet[242] = (byte)random.Next(1, 9);
        int at = 243;
        if (random.Next(2) == 0)
        {
            packet[at++] = 50;
            packet[at++] = 4;
            packet[at++] = 192;
            packet[at++] = 0;
            packet[at++] = 2;
            packet[at++] = (byte)random.Next(256);
        }
        if (random.Next(3) == 0)
        {
            byte[] vendor = "PXEClient:Arch:00000:UNDI:002001"u8.ToArray();
            packet[at++] = 60;
            packet[at++] = (byte)vendor.Length;
            vendor.CopyTo(packet, at);
            at += vendor.Length;
        }
        packet[at] = 255;
        return packet;
    }

    private static async Task<IReadOnlyList<PrometheusSample>> MetricsAsync(DhcpSite site) =>
        await PrometheusText.ParseAsync((await ProcessRunner.RunAsync("ip", site.Server.Exec("curl", "-sSf", $"{DhcpSite.Http}/metrics"), TimeSpan.FromSeconds(10))).StandardOutput);

    private static long ResidentBytes(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
