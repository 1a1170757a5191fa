using Fluid;
using Fluid.Values;

namespace Provisioner.Core.Templates;

/// <summary>
/// A model object for templates whose unknown members are errors naming the member
/// (<c>unknown variable 'host.ipp'</c>), where Fluid's own strict mode would render nothing or
/// name an AST type.
/// </summary>
internal sealed class StrictObject(string path, IReadOnlyDictionary<string, object?> members, TemplateOptions options) : IFluidIndexable
{
    public int Count => members.Count;

    public IEnumerable<string> Keys => members.Keys;

    public bool TryGetValue(string name, out FluidValue value)
    {
        if (!members.TryGetValue(name, out object? member))
        {
            throw new FluidException($"unknown variable '{path}.{name}' (known: {string.Join(", ", members.Keys)})");
        }
        value = Wrap($"{path}.{name}", member, options);
        return true;
    }

    /// <summary>Nested dictionaries become strict objects too; anything else is Fluid's usual value.</summary>
    public static FluidValue Wrap(string path, object? value, TemplateOptions options) => value switch
    {
        IReadOnlyDictionary<string, object?> nested => new DictionaryValue(new StrictObject(path, nested, options)),
        _ => FluidValue.Create(value, options),
    };
}
