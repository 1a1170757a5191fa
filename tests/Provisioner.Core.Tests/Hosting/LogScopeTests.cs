using System.Net;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Hosting;
using Provisioner.Pxe.Logging;

namespace Provisioner.Core.Tests.Hosting;

public sealed class LogScopeTests
{
    /// <summary>Keeps what BeginScope was given, as a console formatter would see it.</summary>
    private sealed class ScopeRecorder : ILogger
    {
        public List<object> Scopes { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Scopes.Add(state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }

    [Fact]
    public void Begin_AllGiven_FieldsInOrder_PeerIsTheAddressWithoutPort()
    {
        var logger = new ScopeRecorder();
        LogScope.Begin(logger, "52:54:00:aa:00:01", "web01", new IPEndPoint(IPAddress.Parse("192.0.2.10"), 49152));
        var scope = Assert.IsType<LogScope>(Assert.Single(logger.Scopes));
        Assert.Equal([new("mac", "52:54:00:aa:00:01"), new("host", "web01"), new("peer", "192.0.2.10")], scope.ToList());
        Assert.Equal("mac=52:54:00:aa:00:01 host=web01 peer=192.0.2.10", scope.ToString());
    }

    [Fact]
    public void Begin_NullsAndEmpty_LeftOut_NothingGiven_NoScope()
    {
        var logger = new ScopeRecorder();
        LogScope.Begin(logger, mac: null, host: "", peer: IPAddress.Parse("192.0.2.11"));
        Assert.Equal([new("peer", "192.0.2.11")], Assert.IsType<LogScope>(Assert.Single(logger.Scopes)).ToList());
        Assert.Null(LogScope.Begin(logger));
        Assert.Single(logger.Scopes);
    }
}
