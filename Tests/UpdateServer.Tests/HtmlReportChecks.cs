using System.Globalization;
using System.Text.RegularExpressions;
using SecureOta.DeviceSimulator.Fleet;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>What every HTML report must be: self-contained, and showing the JSON report's numbers.</summary>
public static partial class HtmlReportChecks
{
    public static void AssertShows(string html, FleetReport report)
    {
        // Nothing is fetched: no script, no element with a source or link, no CSS import or url().
        foreach (var bad in new[] { "<script", " src=", " href=", "url(", "@import", "<link", "<iframe", "<img" })
            Assert.DoesNotContain(bad, html, StringComparison.OrdinalIgnoreCase);
        double Value(string key)
        {
            var m = Regex.Match(html, $"<tr data-key=\"{Regex.Escape(key)}\"><th>[^<]*</th><td data-value=\"([^\"]+)\"");
            Assert.True(m.Success, "the summary has no row " + key);
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        Assert.Equal(report.Devices, Value("devices"));
        Assert.Equal(report.Updated, Value("updated"));
        Assert.Equal(report.Failed, Value("failed"));
        Assert.Equal(report.Reverted, Value("reverted"));
        Assert.Equal(report.Pending, Value("pending"));
        Assert.Equal(report.Waiting, Value("waiting for consent or window"));
        Assert.Equal(report.ChannelBlocked, Value("update channel blocked"));
        Assert.Equal(report.FaultsInjected, Value("faults injected"));
        Assert.Equal(report.ModeledBusyMedian, Value("modeled busy time, median s"), 3);
        Assert.Equal(report.ModeledBusyP99, Value("modeled busy time, p99 s"), 3);
        Assert.Equal(report.BoardsPerSecond, Value("boards per host second"), 3);
        // One histogram bar per non-empty bin; the bars hold every updated board.
        var bars = BarTitle().Matches(html[html.IndexOf("data-chart=\"update-times\"", StringComparison.Ordinal)..html.IndexOf("data-chart=\"phases\"", StringComparison.Ordinal)]);
        Assert.Equal(report.Updated, bars.Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        // The fault table counts every injected fault once; the reasons every failed or reverted report once.
        Assert.Equal(report.FaultsInjected, FaultCount().Matches(html).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        int failures = report.DeviceResults.Sum(d => d.Reports.Count(r => r.StartsWith("failed") || r.StartsWith("reverted")));
        Assert.Equal(failures, ReasonCount().Matches(html).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex("<title>(\\d+) boards</title>")]
    private static partial Regex BarTitle();

    [GeneratedRegex("<tr data-fault=\"[^\"]*\"><td>[^<]*</td><td data-value=\"(\\d+)\"")]
    private static partial Regex FaultCount();

    [GeneratedRegex("<li data-reason=\"[^\"]*\" data-value=\"(\\d+)\"")]
    private static partial Regex ReasonCount();
}
