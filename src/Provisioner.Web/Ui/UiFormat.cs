using System.Globalization;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>How the pages write times, sizes and states.</summary>
public static class UiFormat
{
    /// <summary>UTC, to the second, sortable: operators compare these with syslog and DHCP logs.</summary>
    public static string Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => Time(at.UtcDateTime);

    /// <summary>A duration as people say it: <c>45 s</c>, <c>4 min 12 s</c>, <c>1 h 05 min</c>.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => $"{Math.Max(0, (int)span.TotalSeconds)} s",
        { TotalHours: < 1, Seconds: 0 } => $"{span.Minutes} min",
        { TotalHours: < 1 } => $"{span.Minutes} min {span.Seconds:00} s",
        { Minutes: 0 } => $"{(int)span.TotalHours} h",
        _ => $"{(int)span.TotalHours} h {span.Minutes:00} min",
    };

    public static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture),
        >= 1_000_000 => (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture),
        >= 1_000 => (bytes / 1e3).ToString("0.0 kB", CultureInfo.InvariantCulture),
        _ => bytes.ToString("0 B", CultureInfo.InvariantCulture),
    };

    /// <summary>The badge's CSS class: one colour per state.</summary>
    public static string Badge(BuildState state) => "badge badge-" + state.Name();

    /// <summary>A build's progress bar in its state's colour: red once failed, green once done.</summary>
    public static string Bar(BuildState state) => "bar bar-" + state.Name();
}
