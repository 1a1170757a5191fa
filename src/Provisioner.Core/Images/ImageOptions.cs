namespace Provisioner.Core.Images;

/// <summary>OS images built on the appliance (configuration section <c>Images</c>).</summary>
public sealed class ImageOptions
{
    /// <summary>Image definitions, <c>NAME.json</c> each. Default <c>./images</c>, beside <c>./templates</c>.</summary>
    public string Directory { get; set; } = "./images";

    /// <summary>Built versions kept per image; older ones are removed after a good build. Default 3.</summary>
    public int Keep { get; set; } = 3;

    /// <summary>
    /// The package mirror builds install from, <c>http://127.0.0.1:8080/mirror</c>: the appliance's own.
    /// Default: worked out from the appliance's HTTP address by the host (a wildcard address becomes 127.0.0.1).
    /// </summary>
    public string MirrorUrl { get; set; } = "http://127.0.0.1:8080/mirror";

    /// <summary>Longest a build may take before it is stopped and counts as failed. Default 1 hour.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromHours(1);
}
