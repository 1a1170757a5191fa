using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Provisioner.Core.Alerts;

/// <summary>
/// POSTs an alert's JSON to a webhook through a factory-made <see cref="HttpClient"/> whose
/// resilience pipeline (Microsoft.Extensions.Http.Resilience) gives each try
/// <see cref="AlertOptions.Timeout"/> and retries a failed one (no connection, timeout, non-2xx)
/// after a delay that doubles each time, until <see cref="AlertOptions.Attempts"/> tries; then the
/// webhook is given up for this alert, logged.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, ILogger<WebhookSender> logger)
{
    public const string ClientName = "webhooks";

    /// <summary>How many tries a request took, counted by the pipeline's retries.</summary>
    private static readonly HttpRequestOptionsKey<StrongBox> Tries = new("provisioner.tries");

    public async Task<AlertDelivery> SendAsync(string url, Alert alert, CancellationToken cancellationToken)
    {
        var tries = new StrongBox();
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url))
            {
                Content = new StringContent(alert.ToJson(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Options.Set(Tries, tries);
            using HttpResponseMessage response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            error = response.IsSuccessStatusCode ? null : Describe(response);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or UriFormatException or InvalidOperationException)
        {
            error = Describe(ex);
        }
        if (error is null)
        {
            Log.Delivered(logger, url, alert.Event, alert.Host.Hostname, tries.Value);
            return new AlertDelivery(url, true, tries.Value, null);
        }
        Log.GaveUp(logger, url, alert.Event, alert.Host.Hostname, tries.Value, error);
        return new AlertDelivery(url, false, tries.Value, error);
    }

    /// <summary>The webhooks' client: no timeout of its own; the pipeline times each try and retries.</summary>
    internal static void Register(IServiceCollection services)
    {
        services.AddTransient<TryCounter>();
        IHttpClientBuilder client = services.AddHttpClient(ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(ClientName, (pipeline, context) =>
        {
            AlertOptions settings = context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value;
            ILogger logger = context.ServiceProvider.GetRequiredService<ILogger<WebhookSender>>();
            if (settings.Attempts > 1)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = settings.Attempts - 1,
                    Delay = settings.FirstRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = false,
                    // Any failure, not only the transient ones: a webhook answering 404 may be redeployed in a minute.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: not null } or { Result.IsSuccessStatusCode: false }),
                    OnRetry = args =>
                    {
                        Log.Retrying(logger, args.Context.GetRequestMessage()?.RequestUri?.ToString() ?? "?", args.AttemptNumber + 1,
                            args.Outcome.Exception is { } ex ? Describe(ex) : Describe(args.Outcome.Result!), args.RetryDelay.TotalSeconds);
                        return ValueTask.CompletedTask;
                    },
                });
            }
            // Inside the retries: each try has its own time.
            pipeline.AddTimeout(settings.Timeout);
        });
        // Innermost, so it sees every try.
        client.AddHttpMessageHandler<TryCounter>();
    }

    private static string Describe(HttpResponseMessage response) => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    private static string Describe(Exception ex) => ex is TimeoutRejectedException timeout
        ? $"no answer within {timeout.Timeout.TotalSeconds:0.#} s"
        : ex.Message;

    /// <summary>A mutable count carried on the request through the pipeline's tries.</summary>
    private sealed class StrongBox
    {
        public int Value;
    }

    /// <summary>Inside the pipeline: runs once per try, and counts it on the request.</summary>
    internal sealed class TryCounter : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Options.TryGetValue(Tries, out StrongBox? tries))
            {
                Interlocked.Increment(ref tries.Value);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
