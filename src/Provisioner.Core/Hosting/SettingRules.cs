using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Checks one options type at start (<c>ValidateOnStart</c>): every rule that fails gives one line
/// naming the configuration key, its value and what it must be, and all of them are reported at
/// once, so an operator fixes a settings file in one go.
/// </summary>
public sealed class SettingRules<T> : IValidateOptions<T>
    where T : class
{
    private readonly List<Func<T, IEnumerable<string>>> _rules = [];

    /// <summary>A rule: null when <paramref name="check"/> finds the value good, else the line for the operator.</summary>
    public SettingRules<T> Rule(Func<T, string?> check)
    {
        _rules.Add(options => check(options) is { } failure ? [failure] : []);
        return this;
    }

    /// <summary>A rule over several values (a section): a line for each one that is not good.</summary>
    public SettingRules<T> Rules(Func<T, IEnumerable<string>> check)
    {
        _rules.Add(check);
        return this;
    }

    public ValidateOptionsResult Validate(string? name, T options)
    {
        List<string> failures = [.. _rules.SelectMany(rule => rule(options))];
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The usual rules, each worded as the line an operator reads.</summary>
public static class Setting
{
    /// <summary>Registers the rules for <typeparamref name="T"/> and checks them when the host starts.</summary>
    public static IServiceCollection CheckAtStart<T>(this IServiceCollection services, Func<SettingRules<T>, SettingRules<T>> rules)
        where T : class
    {
        services.AddOptions<T>().ValidateOnStart();
        // Once, however often the registration that binds T runs.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(rules(new SettingRules<T>())));
        return services;
    }

    public static string? AtLeast(string key, long value, long minimum) =>
        value >= minimum ? null : string.Create(CultureInfo.InvariantCulture, $"{key} is {value}: it must be {minimum} or more");

    public static string? Between(string key, long value, long minimum, long maximum) =>
        value >= minimum && value <= maximum ? null : string.Create(CultureInfo.InvariantCulture, $"{key} is {value}: it must be from {minimum} to {maximum}");

    public static string? Positive(string key, TimeSpan value) =>
        value > TimeSpan.Zero ? null : string.Create(CultureInfo.InvariantCulture, $"{key} is {value}: it must be longer than 0 (hh:mm:ss)");

    public static string? NotNegative(string key, TimeSpan value) =>
        value >= TimeSpan.Zero ? null : string.Create(CultureInfo.InvariantCulture, $"{key} is {value}: it must not be negative (hh:mm:ss)");

    public static string? OneOf(string key, string? value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : $"{key} is '{value}': it must be {string.Join(" or ", allowed)}";

    public static string? HttpUrls(string key, IEnumerable<string> urls) =>
        urls.Select((url, i) => Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
                ? null
                : $"{key}:{i} is '{url}': it must be an http:// or https:// URL")
            .FirstOrDefault(line => line is not null);
}
