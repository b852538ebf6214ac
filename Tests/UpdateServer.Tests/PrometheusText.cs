using System.Globalization;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Reads one series' value out of a /metrics page (Prometheus text exposition format: a sample line is
/// the series, its labels included, a space and the value; a series appears once per page). Used by the
/// server's tests and by the benchmarks that watch a running server.
/// </summary>
public static class PrometheusText
{
    /// <summary>The value of series (for example <c>secureota_devices{state="registered"}</c>); throws if the page has it not exactly once.</summary>
    public static double Value(string text, string series)
    {
        var prefix = series + " ";
        var lines = text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (lines.Count != 1)
            throw new InvalidOperationException($"{series} is {(lines.Count == 0 ? "not" : lines.Count + " times")} in /metrics:\n{text}");
        return double.Parse(lines[0][prefix.Length..], CultureInfo.InvariantCulture);
    }
}
