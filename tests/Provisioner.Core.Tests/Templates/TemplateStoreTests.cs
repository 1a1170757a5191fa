using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Tests.Templates;

public sealed class TemplateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-templates-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly TemplateStore _store;

    public TemplateStoreTests()
    {
        Directory.CreateDirectory(Path.Join(_dir, "preseed"));
        Directory.CreateDirectory(Path.Join(_dir, "pxelinux"));
        _store = new TemplateStore(Options.Create(new TemplateStoreOptions { Directory = _dir }), _time);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RenderAsync_UnknownVariable_NamesFileAndLine()
    {
        Write("preseed/p.liquid", "line one\nd-i netcfg/get_ipaddress string {{ host.ipp }}\n");

        var ex = await Assert.ThrowsAsync<TemplateException>(() => _store.RenderAsync("preseed/p.liquid", Model()).AsTask());

        Assert.Equal("preseed/p.liquid", ex.File);
        Assert.Equal(2, ex.Line);
        Assert.StartsWith("preseed/p.liquid:2: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ipp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_SyntaxError_NamesFileAndLine()
    {
        Write("preseed/p.liquid", "one\ntwo\n{% if host.ip %}\nno end\n");

        var ex = await Assert.ThrowsAsync<TemplateException>(() => _store.RenderAsync("preseed/p.liquid", Model()).AsTask());

        Assert.Equal("preseed/p.liquid", ex.File);
        Assert.True(ex.Line >= 3, ex.Message);
    }

    [Fact]
    public async Task RenderAsync_UnknownFilter_IsAnError()
    {
        Write("preseed/p.liquid", "{{ host.ip | shout }}");
        var ex = await Assert.ThrowsAsync<TemplateException>(() => _store.RenderAsync("preseed/p.liquid", Model()).AsTask());
        Assert.Contains("shout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_MissingFile_SaysWhere()
    {
        var ex = await Assert.ThrowsAsync<TemplateException>(() => _store.RenderAsync("preseed/nope.liquid", Model()).AsTask());
        Assert.Contains("no such template", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_FileChangedOnDisk_RendersTheNewVersion()
    {
        Write("preseed/p.liquid", "first {{ host.ip }}");
        Assert.Equal("first 192.0.2.10", await _store.RenderAsync("preseed/p.liquid", Model()));

        Write("preseed/p.liquid", "second version {{ host.ip }}");
        File.SetLastWriteTimeUtc(Path.Join(_dir, "preseed/p.liquid"), DateTime.UtcNow.AddSeconds(5));
        // Within the recheck interval the parsed template is trusted; after it, the edit shows.
        Assert.Equal("first 192.0.2.10", await _store.RenderAsync("preseed/p.liquid", Model()));
        _time.Advance(TemplateStore.RecheckInterval);

        Assert.Equal("second version 192.0.2.10", await _store.RenderAsync("preseed/p.liquid", Model()));
    }

    [Fact]
    public async Task RenderCachedAsync_SameMemoAndKey_RendersOnce()
    {
        Write("preseed/p.liquid", "ip {{ host.ip }}");
        var memo = new RenderMemo();
        int built = 0;
        Func<IReadOnlyDictionary<string, object?>> model = () => { built++; return Model(); };

        Assert.Equal("ip 192.0.2.10", await _store.RenderCachedAsync("preseed/p.liquid", memo, "http://192.0.2.1", model));
        Assert.Equal("ip 192.0.2.10", await _store.RenderCachedAsync("preseed/p.liquid", memo, "http://192.0.2.1", model));
        Assert.Equal(1, built);

        await _store.RenderCachedAsync("preseed/p.liquid", memo, "http://198.51.100.1", model);
        await _store.RenderCachedAsync("preseed/p.liquid", new RenderMemo(), "http://192.0.2.1", model);
        Assert.Equal(3, built);
    }

    [Fact]
    public async Task RenderCachedAsync_TemplateEdited_RendersAgain()
    {
        Write("preseed/p.liquid", "first {{ host.ip }}");
        var memo = new RenderMemo();
        Assert.Equal("first 192.0.2.10", await _store.RenderCachedAsync("preseed/p.liquid", memo, "k", Model));

        Write("preseed/p.liquid", "second version {{ host.ip }}");
        File.SetLastWriteTimeUtc(Path.Join(_dir, "preseed/p.liquid"), DateTime.UtcNow.AddSeconds(5));
        _time.Advance(TemplateStore.RecheckInterval);

        Assert.Equal("second version 192.0.2.10", await _store.RenderCachedAsync("preseed/p.liquid", memo, "k", Model));
        Assert.Equal(1, memo.Count);
    }

    [Theory]
    [InlineData("LOCALBOOT 0", "LOCALBOOT 0")]
    [InlineData("{% if urls.base == 'http://192.0.2.1' %}here{% else %}{{ host.ip }}{% endif %} {{ secrets.hash }}", "here !")]
    [InlineData("{% assign b = urls.base %}{{ b | append: '/x' }}", "http://192.0.2.1/x")]
    public async Task RenderSharedAsync_NoHostVariableReached_RendersOnceForAllHosts(string template, string expected)
    {
        Write("pxelinux/localboot.liquid", template);
        int built = 0;
        Func<IReadOnlyDictionary<string, object?>> shared = () => { built++; return SharedModel(); };

        Assert.Equal(expected, await _store.RenderSharedAsync("pxelinux/localboot.liquid", "http://192.0.2.1", shared));
        Assert.Equal(expected, await _store.RenderSharedAsync("pxelinux/localboot.liquid", "http://192.0.2.1", shared));
        Assert.Equal(1, built);
    }

    [Theory]
    [InlineData("ip {{ host.ip }}")]
    [InlineData("{% if host %}known{% endif %}")]
    [InlineData("{% assign h = host %}{{ h.ip }}")]
    [InlineData("{{ urls.preseed }}")]
    [InlineData("{% for v in console %}{{ v }}{% endfor %}")]
    [InlineData("{% if urls.base == 'http://198.51.100.1' %}{{ host.ip }}{% endif %}")]
    public async Task RenderSharedAsync_HostVariableReached_NullSoTheHostRendersItsOwn(string template)
    {
        Write("pxelinux/debian12.liquid", template);

        await _store.RenderSharedAsync("pxelinux/debian12.liquid", "http://192.0.2.1", () => SharedModel("http://192.0.2.1"));
        Assert.Null(await _store.RenderSharedAsync("pxelinux/debian12.liquid", "http://198.51.100.1", () => SharedModel("http://198.51.100.1")));
        // Once one base URL reached a host variable, this version of the file is always the host's own.
        Assert.Null(await _store.RenderSharedAsync("pxelinux/debian12.liquid", "http://192.0.2.1", () => SharedModel("http://192.0.2.1")));
    }

    [Fact]
    public async Task RenderSharedAsync_TemplateEditedToUseTheHost_NullFromTheNextCheck()
    {
        Write("pxelinux/localboot.liquid", "LOCALBOOT 0");
        Assert.Equal("LOCALBOOT 0", await _store.RenderSharedAsync("pxelinux/localboot.liquid", "k", SharedModel));

        Write("pxelinux/localboot.liquid", "LOCALBOOT 0 # {{ host.ip }}");
        File.SetLastWriteTimeUtc(Path.Join(_dir, "pxelinux/localboot.liquid"), DateTime.UtcNow.AddSeconds(5));
        _time.Advance(TemplateStore.RecheckInterval);

        Assert.Null(await _store.RenderSharedAsync("pxelinux/localboot.liquid", "k", SharedModel));
        Assert.Equal("LOCALBOOT 0 # 192.0.2.10", await _store.RenderCachedAsync("pxelinux/localboot.liquid", new RenderMemo(), "k", Model));
    }

    [Fact]
    public async Task RenderSharedAsync_BrokenTemplate_NullAndTheHostsRenderNamesTheError()
    {
        Write("pxelinux/localboot.liquid", "{{ urls.bsae }}");

        Assert.Null(await _store.RenderSharedAsync("pxelinux/localboot.liquid", "k", SharedModel));
        var error = await Assert.ThrowsAsync<TemplateException>(async () => await _store.RenderCachedAsync("pxelinux/localboot.liquid", new RenderMemo(), "k", Model));
        Assert.Contains("urls.bsae", error.Message);
    }

    [Fact]
    public void List_Profiles_ExcludeLocalbootAndDefault()
    {
        Write("pxelinux/debian12.liquid", "");
        Write("pxelinux/localboot.liquid", "");
        Write("pxelinux/default.liquid", "");
        Write("pxelinux/Bad Name.liquid", "");
        Assert.Equal(["debian12"], _store.List());
        Assert.True(_store.Exists("debian12"));
        Assert.False(_store.Exists("localboot"));
        Assert.False(_store.Exists("../debian12"));
    }

    private void Write(string file, string text) => File.WriteAllText(Path.Join(_dir, file), text);

    private static Dictionary<string, object?> Model() => new()
    {
        ["host"] = new Dictionary<string, object?> { ["ip"] = "192.0.2.10" },
        ["console"] = new Dictionary<string, object?> { ["spec"] = "ttyS0" },
        ["urls"] = new Dictionary<string, object?> { ["base"] = "http://192.0.2.1", ["preseed"] = "http://192.0.2.1/build/t/preseed" },
    };

    /// <summary>What <see cref="TemplateModel.Shared"/> gives: no host, console or token.</summary>
    private static Dictionary<string, object?> SharedModel() => SharedModel("http://192.0.2.1");

    private static Dictionary<string, object?> SharedModel(string baseUrl) => new()
    {
        ["urls"] = new Dictionary<string, object?> { ["base"] = baseUrl },
        ["secrets"] = new Dictionary<string, object?> { ["hash"] = "!" },
    };
}
