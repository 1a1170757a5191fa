namespace Provisioner.Core.Images;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ImageBuildState>))]
public enum ImageBuildState
{
    Running,
    Succeeded,
    Failed,

    /// <summary>The process that ran it ended before the build did (a stop, a crash).</summary>
    Interrupted,
}

/// <summary>The latest build of an image (<c>build.json</c> beside its versions), whoever runs it: the appliance or the CLI.</summary>
public sealed record ImageBuildStatus(
    string Name,
    string Version,
    ImageBuildState State,
    string Step,
    int Percent,
    string? Message,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    int ProcessId);
