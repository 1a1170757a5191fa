using System.Globalization;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>
/// The dashboard's chart of recent builds: one bar per build, its stages side by side in time, drawn
/// as SVG by the server (no script, no CDN: it works offline and in the live swap like any HTML).
/// The geometry is worked out here; <c>_BuildChart.cshtml</c> writes the elements.
/// </summary>
public sealed class BuildChart
{
    public const int Width = 800;
    public const int LabelWidth = 130;
    public const int TotalWidth = 90;
    public const int RowHeight = 24;
    public const int BarHeight = 14;
    public const int AxisHeight = 22;
    public const int PlotWidth = Width - LabelWidth - TotalWidth;

    private static readonly int[] TickSeconds = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

    private BuildChart(IReadOnlyList<Row> rows, TimeSpan scale, IReadOnlyList<Tick> ticks)
    {
        Rows = rows;
        Scale = scale;
        Ticks = ticks;
    }

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The time the plot's whole width stands for.</summary>
    public TimeSpan Scale { get; }

    public IReadOnlyList<Tick> Ticks { get; }

    public int Height => AxisHeight + (Rows.Count * RowHeight) + 4;

    /// <summary>One build's bar: its label, segments, and the total written after it.</summary>
    public sealed record Row(int HostId, string Hostname, int Y, IReadOnlyList<Segment> Segments, string Total, string Summary, BuildState State);

    /// <summary>One stage drawn: where, how wide, its CSS class, and how long it took as text (<c>4 min 12 s (so far)</c>).</summary>
    public sealed record Segment(double X, double Width, string Css, BuildStage Stage, string Text);

    /// <summary>A vertical grid line and its label.</summary>
    public sealed record Tick(double X, string Label);

    public static string StageName(BuildStage stage) => stage switch
    {
        BuildStage.Firmware => "firmware",
        BuildStage.BootFiles => "boot files",
        BuildStage.Installer => "installer",
        _ => "first boot",
    };

    public static string StageCss(BuildStage stage) => "stage-" + stage.ToString().ToLowerInvariant();

    public static BuildChart Of(IReadOnlyList<BuildTiming> builds)
    {
        double longest = builds.Count == 0 ? 0 : builds.Max(b => b.Duration.TotalSeconds);
        // The scale ends on a tick, at least a minute: short builds are not stretched across the page.
        int step = TickSeconds.FirstOrDefault(t => longest / t <= 6, TickSeconds[^1]);
        double scale = Math.Max(60, Math.Ceiling(Math.Max(longest, 1) / step) * step);
        double Px(double seconds) => Math.Round(seconds / scale * PlotWidth, 1);
        var ticks = new List<Tick>();
        for (int s = 0; s <= scale; s += step)
        {
            ticks.Add(new Tick(LabelWidth + Px(s), UiFormat.Duration(TimeSpan.FromSeconds(s))));
        }
        var rows = new List<Row>(builds.Count);
        for (int i = 0; i < builds.Count; i++)
        {
            BuildTiming build = builds[i];
            var segments = new List<Segment>(build.Stages.Count);
            DateTime origin = build.Stages.Count > 0 ? build.Stages[0].From : build.Requested;
            foreach (StageSpan stage in build.Stages)
            {
                string how = stage.Failed ? " (failed here)" : stage.Running ? " (so far)" : "";
                string css = StageCss(stage.Stage) + (stage.Failed ? " failed" : stage.Running ? " running" : "");
                segments.Add(new Segment(LabelWidth + Px((stage.From - origin).TotalSeconds), Math.Max(Px(stage.Duration.TotalSeconds), 1.5), css,
                    stage.Stage, UiFormat.Duration(stage.Duration) + how));
            }
            string total = build.Stages.Count == 0 ? "waiting" : UiFormat.Duration(build.Duration);
            string summary = build.Stages.Count == 0
                ? $"{build.Hostname}: requested {UiFormat.Duration(build.Waiting ?? TimeSpan.Zero)} ago, the machine has not shown up yet"
                : $"{build.Hostname}, {build.State.Name()}: " + string.Join(", ", build.Stages.Select(s => $"{StageName(s.Stage)} {UiFormat.Duration(s.Duration)}"));
            rows.Add(new Row(build.HostId, build.Hostname, AxisHeight + (i * RowHeight), segments, total, summary, build.State));
        }
        return new BuildChart(rows, TimeSpan.FromSeconds(scale), ticks);
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
