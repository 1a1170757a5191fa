using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Alerts;

/// <summary>
/// POSTs an alert's JSON to a webhook. Each try has <see cref="AlertOptions.Timeout"/>; a failed
/// try (no connection, timeout, non-2xx) is retried after a delay that doubles each time, until
/// <see cref="AlertOptions.Attempts"/> tries; then the webhook is given up for this alert, logged.
/// </summary>
public sealed partial class WebhookSender(IOptions<AlertOptions> options, TimeProvider time, ILogger<WebhookSender> logger) : IDisposable
{
    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<AlertDelivery> SendAsync(string url, Alert alert, CancellationToken cancellationToken)
    {
        AlertOptions settings = options.Value;
        int attempts = Math.Max(1, settings.Attempts);
        TimeSpan delay = settings.FirstRetryDelay;
        string json = alert.ToJson();
        string error = string.Empty;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            error = await TryOnceAsync(url, json, settings.Timeout, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            if (error.Length == 0)
            {
                LogDelivered(url, alert.Event, alert.Host.Hostname, attempt);
                return new AlertDelivery(url, true, attempt, null);
            }
            if (attempt < attempts)
            {
                LogRetrying(url, attempt, error, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
        LogGaveUp(url, alert.Event, alert.Host.Hostname, attempts, error);
        return new AlertDelivery(url, false, attempts, error);
    }

    /// <summary>Null when the webhook took it (2xx); otherwise why not.</summary>
    private async Task<string?> TryOnceAsync(string url, string json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using HttpResponseMessage response = await _client.PostAsync(new Uri(url), content, attempt.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is HttpRequestException or UriFormatException or InvalidOperationException)
        {
            return ex.Message;
        }
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Url} took alert {Event} for {Hostname} (try {Attempt})")]
    private partial void LogDelivered(string url, string @event, string hostname, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} try {Attempt} failed: {Error}; next try in {Seconds:0.#} s")]
    private partial void LogRetrying(string url, int attempt, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Url} given up for alert {Event} for {Hostname} after {Attempts} tries: {Error}")]
    private partial void LogGaveUp(string url, string @event, string hostname, int attempts, string error);
}
