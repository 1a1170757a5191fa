using System.Collections.Concurrent;

namespace Provisioner.Core.Hosting;

/// <summary>Which listeners (TFTP, HTTP, later capture) are up; <c>/healthz</c> reads it.</summary>
public sealed class ListenerStatus
{
    private readonly ConcurrentDictionary<string, string> _listening = new(StringComparer.Ordinal);

    /// <summary>The listeners that must be up for the appliance to be healthy.</summary>
    public static readonly IReadOnlyList<string> Required = ["tftp", "http"];

    public void MarkListening(string listener, string address) => _listening[listener] = address;

    public void MarkStopped(string listener) => _listening.TryRemove(listener, out _);

    public IReadOnlyDictionary<string, string> Listening => _listening;

    public bool IsHealthy => Required.All(_listening.ContainsKey);
}
