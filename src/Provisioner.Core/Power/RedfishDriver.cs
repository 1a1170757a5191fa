using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Power;

/// <summary>
/// DMTF Redfish over HTTPS, as sushy (ironic) and bmclib speak it: the first member of
/// <c>/redfish/v1/Systems</c> is the machine; its <c>PowerState</c> is the state; power is
/// <c>POST Actions/ComputerSystem.Reset</c> with a <c>ResetType</c> the system lists as allowed; PXE once is
/// <c>PATCH</c> of its <c>Boot</c> with the system's ETag in <c>If-Match</c>. HTTP Basic authentication on
/// every request. The certificate is checked as the BMC's settings say: pinned SHA-256, any (an explicit
/// per-BMC choice), or the machine's CA store.
/// </summary>
public sealed class RedfishDriver(IOptions<PowerOptions> options) : IPowerDriver, IDisposable
{
    private const string SystemsPath = "/redfish/v1/Systems";
    private readonly ConcurrentDictionary<string, (HttpClient Client, CertificateSeen Seen)> _clients = new(StringComparer.Ordinal);

    public async Task<PowerState> StatusAsync(BmcConnection bmc, CancellationToken cancellationToken)
    {
        (JsonObject system, _, _) = await SystemAsync(bmc, cancellationToken).ConfigureAwait(false);
        // PoweringOn and PoweringOff are on their way: neither is off yet.
        return Text(system["PowerState"]) switch
        {
            "Off" => PowerState.Off,
            "On" or "PoweringOn" or "PoweringOff" => PowerState.On,
            var other => throw new PowerException($"the Redfish service at {bmc.Address} gave no power state (PowerState: {other ?? "missing"})"),
        };
    }

    public async Task PowerAsync(BmcConnection bmc, PowerCommand command, CancellationToken cancellationToken)
    {
        (JsonObject system, string path, _) = await SystemAsync(bmc, cancellationToken).ConfigureAwait(false);
        JsonObject? reset = (system["Actions"] as JsonObject)?["#ComputerSystem.Reset"] as JsonObject;
        string target = Text(reset?["target"]) ?? $"{path}/Actions/ComputerSystem.Reset";
        string[]? allowed = (reset?["ResetType@Redfish.AllowableValues"] as JsonArray)?.Select(Text).OfType<string>().ToArray();
        string[] wanted = command switch
        {
            PowerCommand.On => ["On"],
            PowerCommand.HardOff => ["ForceOff"],
            PowerCommand.SoftOff => ["GracefulShutdown"],
            // A BMC without PowerCycle restarts the machine just as well.
            PowerCommand.Cycle => ["PowerCycle", "ForceRestart"],
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        string? resetType = allowed is null ? wanted[0] : wanted.FirstOrDefault(allowed.Contains);
        if (resetType is null)
        {
            throw new PowerException($"the Redfish service at {bmc.Address} does not offer {string.Join(" or ", wanted)} (it allows: {string.Join(", ", allowed!)})", unsupported: true);
        }
        using var body = new StringContent(new JsonObject { ["ResetType"] = resetType }.ToJsonString(), Encoding.UTF8, "application/json");
        await SendAsync(bmc, HttpMethod.Post, target, body, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetPxeOnceAsync(BmcConnection bmc, CancellationToken cancellationToken)
    {
        var boot = new JsonObject { ["BootSourceOverrideEnabled"] = "Once", ["BootSourceOverrideTarget"] = "Pxe" };
        if (bmc.UefiBoot)
        {
            boot["BootSourceOverrideMode"] = "UEFI";
        }
        string patch = new JsonObject { ["Boot"] = boot }.ToJsonString();
        for (int attempt = 1; ; attempt++)
        {
            (_, string path, string? etag) = await SystemAsync(bmc, cancellationToken).ConfigureAwait(false);
            using var body = new StringContent(patch, Encoding.UTF8, "application/json");
            try
            {
                await SendAsync(bmc, HttpMethod.Patch, path, body, etag, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PreconditionFailed) when (attempt < 2)
            {
                // The system changed between our GET and PATCH: read it (and its ETag) again, once.
            }
            catch (PreconditionFailed)
            {
                throw new PowerException($"the Redfish service at {bmc.Address} refused the boot override twice: the system kept changing (412 Precondition Failed)");
            }
        }
    }

    private async Task<(JsonObject System, string Path, string? ETag)> SystemAsync(BmcConnection bmc, CancellationToken cancellationToken)
    {
        (JsonObject systems, _) = await GetAsync(bmc, SystemsPath, cancellationToken).ConfigureAwait(false);
        string? path = Text(((systems["Members"] as JsonArray)?.FirstOrDefault() as JsonObject)?["@odata.id"]);
        if (path is null)
        {
            throw new PowerException($"the Redfish service at {bmc.Address} lists no computer system under {SystemsPath}");
        }
        (JsonObject system, string? etag) = await GetAsync(bmc, path, cancellationToken).ConfigureAwait(false);
        return (system, path, etag ?? Text(system["@odata.etag"]));
    }

    private async Task<(JsonObject Body, string? ETag)> GetAsync(BmcConnection bmc, string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(bmc, HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object"), response.Headers.ETag?.ToString());
        }
        catch (JsonException)
        {
            throw new PowerException($"the Redfish service at {bmc.Address} answered GET {path} with something that is not a JSON object");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(BmcConnection bmc, HttpMethod method, string path, HttpContent? body, string? ifMatch, CancellationToken cancellationToken)
    {
        (HttpClient client, CertificateSeen seen) = Client(bmc);
        var service = new Uri(bmc.Address);
        // Paths come from the BMC's own answers (@odata.id, an action's target): the password goes to the BMC and nowhere else.
        if (!Uri.TryCreate(service, path, out Uri? uri) || uri.Scheme != service.Scheme || !string.Equals(uri.Authority, service.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new PowerException($"the Redfish service at {bmc.Address} pointed elsewhere ({path}): not followed");
        }
        using var request = new HttpRequestMessage(method, uri) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{bmc.User}:{bmc.Password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        TimeSpan limit = options.Value.RequestTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PowerException($"the Redfish service at {bmc.Address} did not answer {method} {path} within {limit.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            throw new PowerException(bmc.CertificateSha256 is not null
                ? $"the BMC at {bmc.Address} presented a certificate that is not the pinned one (it presented SHA-256 {seen.Last ?? "?"})"
                : $"the BMC at {bmc.Address} presented a certificate this machine does not trust (SHA-256 {seen.Last ?? "?"}): pin it with --certificate-sha256, or accept any for this BMC");
        }
        catch (HttpRequestException ex)
        {
            throw new PowerException($"the Redfish service at {bmc.Address} could not be reached: {ex.Message}");
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.PreconditionFailed && ifMatch is not null)
            {
                throw new PreconditionFailed();
            }
            string said = await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new PowerException($"the Redfish service at {bmc.Address} refused user '{bmc.User}': wrong user or password (401){said}"),
                HttpStatusCode.Forbidden => new PowerException($"the Redfish service at {bmc.Address} does not let user '{bmc.User}' do this (403){said}"),
                _ => new PowerException($"the Redfish service at {bmc.Address} refused {method} {path}: {(int)response.StatusCode} {response.ReasonPhrase}{said}",
                    unsupported: response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented),
            };
        }
    }

    /// <summary>A JSON string's value; null for anything else (a BMC's JSON is read, never trusted to have the right shape).</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>The Redfish error body's words (<c>error.message</c>, then each <c>@Message.ExtendedInfo</c> message), as ": …"; empty when there are none.</summary>
    internal static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
        return ErrorText(text);
    }

    internal static string ErrorText(string body)
    {
        try
        {
            // Only what DSP0266 says is there is read; anything else (an HTML page, an array) says nothing.
            var error = (JsonNode.Parse(body) as JsonObject)?["error"] as JsonObject;
            var parts = new List<string>();
            if (error?["message"] is JsonValue message && message.TryGetValue(out string? text) && text.Length > 0)
            {
                parts.Add(text);
            }
            if (error?["@Message.ExtendedInfo"] is JsonArray info)
            {
                parts.AddRange(info.OfType<JsonObject>().Select(i => i["Message"] is JsonValue m && m.TryGetValue(out string? said) ? said : null)
                    .OfType<string>().Where(m => m.Length > 0 && !parts.Contains(m)));
            }
            string joined = string.Join(" ", parts.Select(p => new string([.. p.Where(c => !char.IsControl(c))])));
            return joined.Length == 0 ? string.Empty : ": " + (joined.Length > 400 ? joined[..400] + "…" : joined);
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private (HttpClient Client, CertificateSeen Seen) Client(BmcConnection bmc) =>
        _clients.GetOrAdd($"{bmc.Address}|{bmc.CertificateSha256}|{bmc.AcceptAnyCertificate}", _ =>
        {
            var seen = new CertificateSeen();
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = options.Value.RequestTimeout,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        string? fingerprint = certificate is null ? null : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                        seen.Last = fingerprint;
                        return bmc.AcceptAnyCertificate
                            || (bmc.CertificateSha256 is { } pin ? string.Equals(fingerprint, pin, StringComparison.Ordinal) : errors == SslPolicyErrors.None);
                    },
                },
            };
            return (new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, seen);
        });

    public void Dispose()
    {
        foreach ((HttpClient client, _) in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>The fingerprint the BMC last presented, for the error that says which one to pin.</summary>
    private sealed class CertificateSeen
    {
        public volatile string? Last;
    }

    private sealed class PreconditionFailed : Exception;
}
