using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A small Redfish service (no Redfish emulator is packaged in Debian) that follows DMTF's schemas for
/// what a provisioning system uses: the <c>ComputerSystemCollection</c> at <c>/redfish/v1/Systems</c>, one
/// <c>ComputerSystem</c> with <c>PowerState</c>, <c>Boot</c> (PATCH with <c>If-Match</c>, 412 on a stale
/// ETag) and <c>Actions/ComputerSystem.Reset</c> (its <c>ResetType@Redfish.AllowableValues</c>), HTTP Basic
/// authentication and DSP0266 error bodies. Its machine is a real QEMU VM, driven through QMP: "On" starts
/// the process in the site's namespace, "ForceOff" kills it, "GracefulShutdown" presses the ACPI power
/// button, "ForceRestart" resets it. HTTPS with a self-signed certificate on a Unix socket, reached from
/// the test's namespaces through socat. Every request is kept in <see cref="Requests"/>.
/// </summary>
internal sealed class RedfishService : IAsyncDisposable
{
    public const string User = "root";
    private const string SystemPath = "/redfish/v1/Systems/1";
    private static readonly string[] ResetTypes = ["On", "ForceOff", "GracefulShutdown", "ForceRestart"];

    private readonly WebApplication _app;
    private readonly string _password;
    private readonly Func<Process> _powerOn;
    private readonly string _qmp;
    private readonly Lock _gate = new();
    private Process? _vm;
    private int _etag = 1;
    private string _overrideEnabled = "Disabled";
    private string _overrideTarget = "None";

    private RedfishService(WebApplication app, X509Certificate2 certificate, string password, Func<Process> powerOn, string qmp)
    {
        _app = app;
        Certificate = certificate;
        _password = password;
        _powerOn = powerOn;
        _qmp = qmp;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate's SHA-256 fingerprint, upper-case hex: what an operator pins.</summary>
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    /// <summary>"METHOD path [If-Match: etag] [body]", one per request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The VM's process while it runs.</summary>
    public Process? Vm { get { lock (_gate) { return _vm is { HasExited: false } ? _vm : null; } } }

    /// <summary>Answer the next PATCH with 412 although its ETag is current, as when the system changed meanwhile.</summary>
    public bool StaleOnce { get; set; }

    /// <summary>Refuse <c>BootSourceOverrideMode</c> (a BMC of a legacy-only machine): 400 with an error body.</summary>
    public bool LegacyOnly { get; set; } = true;

    /// <param name="powerOn">Starts the VM (its QEMU process) when the system is powered on.</param>
    /// <param name="qmp">The VM's QMP socket, for the power button and reset.</param>
    public static async Task<RedfishService> StartAsync(string socket, string password, Func<Process> powerOn, string qmp)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bmc.example.org", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse("192.0.2.1"));
        names.AddDnsName("bmc.example.org");
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Kestrel wants the key in a form it can use from any store: a PKCS#12 round trip gives that.
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var service = new RedfishService(app, certificate, password, powerOn, qmp);
        app.Use(service.AuthenticateAsync);
        app.MapGet("/redfish/v1/Systems", () => Results.Json(new JsonObject
        {
            ["@odata.id"] = "/redfish/v1/Systems",
            ["@odata.type"] = "#ComputerSystemCollection.ComputerSystemCollection",
            ["Name"] = "Computer System Collection",
            ["Members"] = new JsonArray(new JsonObject { ["@odata.id"] = SystemPath }),
            ["Members@odata.count"] = 1,
        }));
        app.MapGet(SystemPath, (HttpContext context) =>
        {
            context.Response.Headers.ETag = service.ETag;
            return Results.Json(service.System());
        });
        app.MapPatch(SystemPath, (Delegate)service.PatchAsync);
        app.MapPost($"{SystemPath}/Actions/ComputerSystem.Reset", (Delegate)service.ResetAsync);
        await app.StartAsync();
        return service;
    }

    private string ETag { get { lock (_gate) { return $"W/\"{_etag}\""; } } }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        string body = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
        context.Request.Body.Position = 0;
        string ifMatch = context.Request.Headers.IfMatch.ToString();
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{(ifMatch.Length > 0 ? $" If-Match: {ifMatch}" : string.Empty)}{(body.Length > 0 ? " " + body : string.Empty)}");
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{_password}"));
        if (context.Request.Headers.Authorization.ToString() != expected)
        {
            await Error(401, "Base.1.8.NoValidSession", "There is no valid session established with the implementation.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private JsonObject System()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["@odata.id"] = SystemPath,
                ["@odata.type"] = "#ComputerSystem.v1_13_0.ComputerSystem",
                ["Id"] = "1",
                ["Name"] = "QEMU VM",
                ["PowerState"] = _vm is { HasExited: false } ? "On" : "Off",
                ["Boot"] = new JsonObject
                {
                    ["BootSourceOverrideEnabled"] = _overrideEnabled,
                    ["BootSourceOverrideTarget"] = _overrideTarget,
                    ["BootSourceOverrideTarget@Redfish.AllowableValues"] = new JsonArray("None", "Pxe", "Hdd"),
                },
                ["Actions"] = new JsonObject
                {
                    ["#ComputerSystem.Reset"] = new JsonObject
                    {
                        ["target"] = $"{SystemPath}/Actions/ComputerSystem.Reset",
                        ["ResetType@Redfish.AllowableValues"] = new JsonArray([.. ResetTypes.Select(t => (JsonNode)t)]),
                    },
                },
            };
        }
    }

    private async Task<IResult> PatchAsync(HttpContext context)
    {
        JsonObject? patch = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject;
        lock (_gate)
        {
            if (context.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && (ifMatch != $"W/\"{_etag}\"" || StaleOnce))
            {
                StaleOnce = false;
                _etag++;
                return Error(412, "Base.1.8.PreconditionFailed", "The ETag supplied did not match the ETag required to change this resource.");
            }
            if (patch?["Boot"] is not JsonObject boot)
            {
                return Error(400, "Base.1.8.PropertyMissing", "The property Boot is a required property and must be included in the request.");
            }
            if (LegacyOnly && boot["BootSourceOverrideMode"] is { } mode)
            {
                return Error(400, "Base.1.8.PropertyValueNotInList", $"The value {mode} for the property BootSourceOverrideMode is not in the list of acceptable values.");
            }
            _overrideEnabled = (string?)boot["BootSourceOverrideEnabled"] ?? _overrideEnabled;
            _overrideTarget = (string?)boot["BootSourceOverrideTarget"] ?? _overrideTarget;
            _etag++;
        }
        return Results.NoContent();
    }

    private async Task<IResult> ResetAsync(HttpContext context)
    {
        string? type = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject)?["ResetType"]?.GetValue<string>();
        if (type is null || !ResetTypes.Contains(type))
        {
            return Error(400, "Base.1.8.ActionParameterNotSupported", $"The parameter ResetType for the action ComputerSystem.Reset is not supported on the target resource.");
        }
        Process? running = Vm;
        switch (type)
        {
            case "On" when running is null:
                lock (_gate)
                {
                    _vm = _powerOn();
                    // A one-time override is used by this boot and then cleared, as DSP2046 says of "Once".
                    if (_overrideEnabled == "Once")
                    {
                        _overrideEnabled = "Disabled";
                        _etag++;
                    }
                }
                break;
            case "ForceOff" when running is not null:
                running.Kill();
                await running.WaitForExitAsync();
                break;
            case "GracefulShutdown" when running is not null:
                await QemuMonitor.ExecuteAsync(_qmp, "system_powerdown");
                break;
            case "ForceRestart" when running is not null:
                await QemuMonitor.ExecuteAsync(_qmp, "system_reset");
                break;
            default:
                return Error(409, "Base.1.8.ActionNotSupported", $"The action ComputerSystem.Reset with ResetType {type} is not supported while the system is {(running is null ? "Off" : "On")}.");
        }
        return Results.NoContent();
    }

    private static IResult Error(int status, string id, string message) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = id,
            ["message"] = message,
            ["@Message.ExtendedInfo"] = new JsonArray(new JsonObject { ["MessageId"] = id, ["Message"] = message, ["Severity"] = "Warning" }),
        },
    }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    /// <summary>The requests as one text, for order checks.</summary>
    public string Log => string.Join('\n', Requests);
}
