using System.Text.Json;
using Microsoft.Playwright;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh) driven by Playwright, with
/// the flags that keep it off the network it must not reach (background networking, component
/// updates, sync). Pages get axe-core injected on demand and screenshots under the test output.
/// </summary>
internal sealed class UiBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    private UiBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ScreenshotDir => Path.Join(AppContext.BaseDirectory, "screenshots");

    /// <param name="executable">Another launcher (a script that enters a network namespace first), else Chromium itself.</param>
    public static async Task<UiBrowser> LaunchAsync(string executable = Chromium)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package");
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Flags });
        return new UiBrowser(playwright, browser);
    }

    /// <summary>Chromium inside a network namespace, through a launcher script written into <paramref name="dir"/>.</summary>
    public static async Task<UiBrowser> LaunchInNamespaceAsync(NetworkNamespace ns, string dir)
    {
        string launcher = Path.Join(dir, "chromium-in-namespace");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec ip netns exec {ns.Name} {Chromium} \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return await LaunchAsync(launcher);
    }

    /// <summary>A fresh context (its own cookies) and page at <paramref name="baseUrl"/>. CSP is bypassed only so axe can be injected.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, int width = 1280, int height = 900)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = true,
        });
        IPage page = await context.NewPageAsync();
        // Generous: CI runs these beside a QEMU install on two cores.
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public static async Task SignInAsync(IPage page, string name, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#Name", name);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
        // The sign-out button is on every page for a signed-in user, and only then.
        await page.WaitForSelectorAsync("form.signout");
        // A password set for the user (the first admin's, or by an admin) is followed by the prompt for one's own; these tests keep theirs.
        if (await page.QuerySelectorAsync("#later") is { } later)
        {
            await Task.WhenAll(page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.Equals("/account", StringComparison.Ordinal)), later.ClickAsync());
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Join(ScreenshotDir, name + ".png"), FullPage = true });
    }

    /// <summary>Runs axe-core in the page; the critical violations, one line each (rule, target).</summary>
    public static async Task<List<string>> CriticalViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath() });
        string json = await page.EvaluateAsync<string>("async () => JSON.stringify((await axe.run(document)).violations)");
        using JsonDocument violations = JsonDocument.Parse(json);
        return violations.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() == "critical")
            .Select(v => $"{v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at "
                + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("target").ToString())))
            .ToList();
    }

    /// <summary>axe.min.js from PROVISIONER_TEST_AXE (set by test.sh), else the copy test.sh keeps in .cache/.</summary>
    private static string AxePath()
    {
        string? path = Environment.GetEnvironmentVariable("PROVISIONER_TEST_AXE");
        if (string.IsNullOrEmpty(path))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Join(dir.FullName, "Provisioner.sln")))
            {
                dir = dir.Parent;
            }
            path = dir is null ? string.Empty : Path.Join(dir.FullName, ".cache", "axe", "node_modules", "axe-core", "axe.min.js");
        }
        Assert.True(File.Exists(path), $"axe-core is missing ({path}): ./test.sh installs it");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
