using System.Net;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>What the pages look like where a colour or an icon carries meaning.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task FailedBuild_BarIsRed_OnHostPageAndHostList()
    {
        int id = await CreateHostAsync();
        (await _appliance.Api.PostAsync($"/api/hosts/{id}/build", null)).EnsureSuccessStatusCode();
        string config = await _appliance.Anonymous.GetStringAsync("/pxelinux.cfg/01-52-54-00-aa-00-01");
        string token = TokenPattern().Match(config).Groups[1].Value;
        using (HttpResponseMessage failed = await _appliance.Anonymous.PostAsync(new Uri($"/build/{token}/failed", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "partman: no disk found" })))
        {
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }
        IPage page = await AdminPageAsync();
        await page.GotoAsync($"/hosts/{id}");
        await page.WaitForSelectorAsync("#status .badge-failed");
        const string Red = "rgb(179, 38, 30)";
        Assert.Equal(Red, await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#build-progress')).accentColor"));
        await page.GotoAsync("/hosts");
        Assert.Equal(Red, await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('progress.bar-failed')).accentColor"));
        await UiBrowser.ScreenshotAsync(page, "hosts-failed-bar");
    }

    [Fact]
    public async Task HostForm_SaysWhatNoGatewayOrDnsMeans_AndPlaceholdersLookUnlikeValues()
    {
        IPage page = await AdminPageAsync();
        await page.GotoAsync("/hosts/new");
        Assert.Contains("no default route", await page.InnerTextAsync("#gateway-hint"), StringComparison.Ordinal);
        Assert.Contains("no name resolves", await page.InnerTextAsync("#dns-hint"), StringComparison.Ordinal);
        Assert.StartsWith("gateway-hint", await page.GetAttributeAsync("#Form_Gateway", "aria-describedby"), StringComparison.Ordinal);
        // A placeholder is grey and slanted; a value is not.
        Assert.Equal("italic", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#Form_Gateway'), '::placeholder').fontStyle"));
        await page.FillAsync("#Form_Gateway", "192.0.2.1");
        Assert.Equal("normal", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#Form_Gateway')).fontStyle"));
    }

    [Fact]
    public async Task Favicon_LinkedFromEveryPage_AndServedAtTheOldAddress()
    {
        IPage page = await AdminPageAsync();
        string href = (await page.GetAttributeAsync("link[rel=icon]", "href"))!;
        Assert.StartsWith("/assets/favicon.svg?v=", href, StringComparison.Ordinal);
        using HttpResponseMessage icon = await _appliance.Anonymous.GetAsync(href);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", await icon.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_appliance.HttpBase) };
        using HttpResponseMessage old = await noRedirects.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Equal(href, old.Headers.Location?.OriginalString);
        // A made-up asset name is a 404 (and is not kept).
        Assert.Equal(HttpStatusCode.NotFound, (await _appliance.Anonymous.GetAsync("/assets/no-such-file.css")).StatusCode);
    }
}
