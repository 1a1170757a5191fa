using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Pxe.Net;
using Provisioner.Pxe.Syslog;

namespace Provisioner.Pxe.Tests.Syslog;

public sealed class SyslogServerTests
{
    private sealed class Recorder : ISyslogHandler
    {
        public BlockingCollection<(IPEndPoint Peer, SyslogMessage Message)> Received { get; } = [];

        public ValueTask ReceivedAsync(IPEndPoint peer, SyslogMessage message, CancellationToken cancellationToken)
        {
            if (message.Text.Contains("boom", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("handler failure");
            }
            Received.Add((peer, message), cancellationToken);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Datagrams_WellFormedHandedOn_MalformedAndHandlerFailuresSkipped()
    {
        var recorder = new Recorder();
        await using var server = new SyslogServer(Options.Create(new SyslogServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }), recorder, NullLogger<SyslogServer>.Instance);
        server.Start();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        foreach (string datagram in new[] { "not syslog", "<14>boom: handler throws", "<14>Nov 25 02:00:01 main-menu[1]: INFO: Menu item 'netcfg' selected" })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(datagram), server.LocalEndpoint!);
        }

        Assert.True(recorder.Received.TryTake(out var first, TimeSpan.FromSeconds(10)));
        Assert.Equal(("main-menu", "main-menu[1]: INFO: Menu item 'netcfg' selected"), (first.Message.Tag, first.Message.Text));
        Assert.Equal(((IPEndPoint)client.Client.LocalEndPoint!).Port, first.Peer.Port);
        Assert.Equal(1, server.Malformed);
    }

    [Fact]
    public async Task Start_PortInUse_PortBindExceptionNamingListenerAndAddress_TheProgramNamesItsOption()
    {
        using var holder = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)holder.Client.LocalEndPoint!;
        await using var server = new SyslogServer(Options.Create(new SyslogServerOptions { Endpoint = taken }), new Recorder(), NullLogger<SyslogServer>.Instance);

        PortBindException refused = Assert.Throws<PortBindException>(server.Start);
        Assert.Equal($"syslog receiver cannot listen on udp {taken}: it is already in use by another process: stop that process (e.g. a tftpd or dnsmasq) or choose another address", refused.Message);
        Assert.Equal(SyslogServer.ListenerName, refused.Listener);
        Assert.EndsWith("choose another address with --syslog", refused.Advise("--syslog"), StringComparison.Ordinal);
    }
}
