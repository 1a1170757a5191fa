using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Core.Alerts;

/// <summary>The JSON an alert carries to webhooks and the command (and what the dashboard lists).</summary>
/// <param name="Event"><c>build.failed</c>, <c>build.stalled</c> or <c>build.installed</c>.</param>
public sealed record Alert(string Event, DateTimeOffset At, AlertHost Host, string State, string? Reason, IReadOnlyList<string> LastLogLines)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record AlertHost(int Id, string Hostname, string Mac, string Ip, string Profile);

/// <summary>How sending an alert to one target went, for the dashboard.</summary>
public sealed record AlertDelivery(string Target, bool Delivered, int Attempts, string? Error);
