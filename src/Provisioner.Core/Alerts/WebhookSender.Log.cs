using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Alerts;

public sealed partial class WebhookSender
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Url} took alert {Event} for {Hostname} (try {Attempt})")]
        public static partial void Delivered(ILogger logger, string url, string @event, string hostname, int attempt);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} try {Attempt} failed: {Error}; next try in {Seconds:0.#} s")]
        public static partial void Retrying(ILogger logger, string url, int attempt, string error, double seconds);

        [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Url} given up for alert {Event} for {Hostname} after {Attempts} tries: {Error}")]
        public static partial void GaveUp(ILogger logger, string url, string @event, string hostname, int attempts, string error);
    }
}
