namespace Provisioner.Core.Templates;

/// <summary>Where the Liquid templates live (configuration key <c>Templates</c>).</summary>
public sealed class TemplateStoreOptions
{
    /// <summary>Default <c>./templates</c>: <c>pxelinux/&lt;profile&gt;.liquid</c> and <c>preseed/&lt;profile&gt;.liquid</c>.</summary>
    public string Directory { get; set; } = "./templates";
}
