using Provisioner.Core.Templates;

namespace Provisioner.Core.Tests.Templates;

public sealed class RenderMemoTests
{
    private readonly object _template = new();

    [Fact]
    public void TryGet_Empty_Misses()
    {
        Assert.False(new RenderMemo().TryGet("preseed/debian12.liquid", "http://192.0.2.1", _template, out _));
    }

    [Fact]
    public void TryGet_SameFileKeyAndTemplate_Hits()
    {
        var memo = new RenderMemo();
        memo.Add("preseed/debian12.liquid", "http://192.0.2.1", _template, "text");

        Assert.True(memo.TryGet("preseed/debian12.liquid", "http://192.0.2.1", _template, out string text));
        Assert.Equal("text", text);
        Assert.False(memo.TryGet("pxelinux/debian12.liquid", "http://192.0.2.1", _template, out _));
        Assert.False(memo.TryGet("preseed/debian12.liquid", "http://198.51.100.1", _template, out _));
    }

    [Fact]
    public void TryGet_AnotherVersionOfTheTemplate_Misses()
    {
        var memo = new RenderMemo();
        memo.Add("preseed/debian12.liquid", "k", _template, "old");

        Assert.False(memo.TryGet("preseed/debian12.liquid", "k", new object(), out _));
    }

    [Fact]
    public void Add_SameFileAndKey_Replaces()
    {
        var memo = new RenderMemo();
        var newer = new object();
        memo.Add("preseed/debian12.liquid", "k", _template, "old");
        memo.Add("preseed/debian12.liquid", "k", newer, "new");

        Assert.Equal(1, memo.Count);
        Assert.True(memo.TryGet("preseed/debian12.liquid", "k", newer, out string text));
        Assert.Equal("new", text);
    }

    [Fact]
    public void Add_ManyKeys_KeepsTheNewestMaxEntries()
    {
        var memo = new RenderMemo();
        for (int i = 0; i < RenderMemo.MaxEntries + 5; i++)
        {
            memo.Add("pxelinux/debian12.liquid", $"http://host{i}", _template, $"text {i}");
        }

        Assert.Equal(RenderMemo.MaxEntries, memo.Count);
        Assert.False(memo.TryGet("pxelinux/debian12.liquid", "http://host4", _template, out _));
        Assert.True(memo.TryGet("pxelinux/debian12.liquid", "http://host5", _template, out _));
        Assert.True(memo.TryGet("pxelinux/debian12.liquid", $"http://host{RenderMemo.MaxEntries + 4}", _template, out _));
    }
}
