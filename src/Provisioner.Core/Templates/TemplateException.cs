namespace Provisioner.Core.Templates;

/// <summary>A template that cannot be parsed or rendered: which file, which line, what is wrong.</summary>
public sealed class TemplateException(string file, int line, string reason)
    : Exception(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
{
    /// <summary>Relative to the templates directory, like <c>preseed/debian12.liquid</c>.</summary>
    public string File { get; } = file;

    /// <summary>1-based; 0 when the line is not known.</summary>
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
