using System.Text;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;
using static SecureOta.DeviceSimulator.Report.Svg;

namespace SecureOta.DeviceSimulator.Report;

/// <summary>
/// device-sim run --report-html FILE: one self-contained page (inline CSS and SVG, no script, nothing
/// fetched) of what the JSON report holds: the fleet's update times against the physical limit, where
/// the time went phase by phase, the waves opening over modeled time, the faults and what the boards did
/// about them, the failures by reason. Every number shown is the JSON report's (data-value attributes
/// carry them unrounded, for the browser test).
/// </summary>
public static class HtmlReport
{
    /// <summary>The phases between the status reports an update sends (docs/device-api.md, "Status").</summary>
    public static readonly (string From, string To, string Name)[] Phases =
    [
        ("downloading", "verified", "header download + chip signature check"),
        ("verified", "staged", "payload download, decrypt, hash, write"),
        ("staged", "installed", "reboot, boot stage installs, application starts"),
        ("installed", "confirmed", "health check, confirmation"),
    ];

    public static string Render(FleetReport report, Esp32Model model)
    {
        var updated = report.DeviceResults.Where(d => d.Outcome == "updated").ToList();
        var busy = updated.Select(d => d.Modeled.Busy).ToList();
        long bytes = report.DeviceResults.Select(d => d.OfferBytes).DefaultIfEmpty(0).Max();
        double limit = PhysicalLimitSeconds(model, bytes);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>device-sim fleet report</title><style>").Append(Css).Append("</style></head><body>");
        h.Append($"<h1>Fleet run: {Text(report.Summary())}</h1>");
        h.Append("<p class=\"hint\">Made by device-sim from the run's JSON report: every board the real agent, chip emulator and C boot stage, on a modeled ESP32 clock (docs/device-simulator.md).</p>");

        h.Append("<h2>Summary</h2><table class=\"summary\">");
        Row(h, "devices", report.Devices); Row(h, "updated", report.Updated); Row(h, "failed", report.Failed);
        Row(h, "reverted", report.Reverted); Row(h, "pending", report.Pending); Row(h, "simulator errors", report.Errors);
        Row(h, "waiting for consent or window", report.Waiting); Row(h, "update channel blocked", report.ChannelBlocked);
        Row(h, "faults injected", report.FaultsInjected); Row(h, "host wall time, s", report.HostWallSeconds);
        Row(h, "boards per host second", report.BoardsPerSecond); Row(h, "peak memory, MiB", report.PeakMemoryMiB);
        Row(h, "modeled busy time, median s", report.ModeledBusyMedian); Row(h, "modeled busy time, p90 s", report.ModeledBusyP90);
        Row(h, "modeled busy time, p99 s", report.ModeledBusyP99); Row(h, "modeled busy time, slowest s", report.ModeledBusyMax);
        Row(h, "physical limit, s", Math.Round(limit, 3));
        h.Append($"<tr><th>server</th><td>{Text(report.Server)}</td></tr><tr><th>faults</th><td>{Text(report.Faults)}</td></tr><tr><th>boot stage</th><td>{Text(report.BootStage)}</td></tr></table>");

        h.Append("<h2>Update time of each updated board</h2>");
        h.Append($"<p class=\"hint\">Modeled ESP32 busy time (waits for polls and back-offs left out). Physical limit: the longer of carrying the {bytes} bytes over Wi-Fi and erasing + programming them into flash once, at the model's rates (Model/Esp32Model.cs).</p>");
        if (busy.Count == 0) h.Append("<p data-testid=\"none-updated\">No board updated in this run.</p>");
        var markers = new List<(string, double, string)> { ("physical limit " + Num(Math.Round(limit, 2)) + " s", limit, "limit") };
        if (busy.Count > 0)
        {
            double median = Median(busy), p99 = FleetRunner.Percentile(busy.Order().ToList(), 0.99);
            markers.Add(("median " + Num(median) + " s", median, "median"));
            markers.Add(("p99 " + Num(p99) + " s", p99, "p99"));
        }
        h.Append("<figure data-chart=\"update-times\">").Append(Histogram(busy, 24, "modeled busy seconds per update", markers)).Append("</figure>");

        h.Append("<h2>Where the time went, phase by phase</h2><p class=\"hint\">Median over the updated boards of the modeled time between two status reports.</p>");
        var phases = Phases.Select(p => (p.Name, Median(updated.Select(d => Between(d, p.From, p.To)).Where(x => x >= 0).ToList()), "phase")).ToList();
        h.Append("<figure data-chart=\"phases\">").Append(Bars(phases, "s")).Append("</figure>");

        h.Append("<h2>Waves opening</h2><p class=\"hint\">Boards that got the offer, and boards that confirmed, over each board's modeled clock: a wave opens as a step.</p>");
        h.Append("<figure data-chart=\"waves\">").Append(Cumulative(
            [("offered", "offered", report.DeviceResults.Where(d => d.FirstOfferSeconds is not null).Select(d => d.FirstOfferSeconds!.Value).ToList()),
             ("confirmed", "confirmed", report.DeviceResults.Select(d => d.Timeline.LastOrDefault(t => t.State == "confirmed")?.Seconds).Where(t => t is not null).Select(t => t!.Value).ToList())],
            "modeled seconds since the board started", report.Devices)).Append("</figure>");

        h.Append("<h2>Faults and what the boards did</h2>");
        var faults = report.DeviceResults.SelectMany(d => d.FaultsInjected.Select(f => (Kind: FaultKind(f), d.Outcome))).GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).ToList();
        if (faults.Count == 0) h.Append("<p data-testid=\"no-faults\">No faults were injected.</p>");
        else
        {
            h.Append("<table class=\"faults\"><tr><th>fault</th><th>times</th><th>boards then updated</th><th>failed</th><th>reverted</th><th>pending</th></tr>");
            foreach (var g in faults)
                h.Append($"<tr data-fault=\"{Text(g.Key)}\"><td>{Text(g.Key)}</td><td data-value=\"{g.Count()}\">{g.Count()}</td><td>{g.Count(f => f.Outcome == "updated")}</td><td>{g.Count(f => f.Outcome == "failed")}</td><td>{g.Count(f => f.Outcome == "reverted")}</td><td>{g.Count(f => f.Outcome == "pending")}</td></tr>");
            h.Append("</table>");
        }

        h.Append("<h2>Failures by reason</h2>");
        var reasons = report.DeviceResults.SelectMany(d => d.Reports.Where(r => r.StartsWith("failed") || r.StartsWith("reverted")).Select(r => (Reason: ReasonOf(r), Text: r)))
            .GroupBy(r => r.Reason).OrderByDescending(g => g.Count()).ToList();
        if (reasons.Count == 0) h.Append("<p data-testid=\"no-failures\">No board reported a failure.</p>");
        else
        {
            h.Append("<figure data-chart=\"reasons\">").Append(Bars(reasons.Select(g => (g.Key, (double)g.Count(), "bad")).ToList(), "reports")).Append("</figure><ul class=\"examples\">");
            // (failure/code: 1 data set rejected with its SuitError, 2 chip, 3 network, 4 flash, 5 too large, 6 boot stage; docs/device-api.md)
            foreach (var g in reasons) h.Append($"<li data-reason=\"{Text(g.Key)}\" data-value=\"{g.Count()}\"><b>{Text(g.Key)}</b>: {Text(g.First().Text)}</li>");
            h.Append("</ul>");
        }
        return h.Append("</body></html>").ToString();
    }

    /// <summary>The model's physical limit for the bytes (Esp32Model.PhysicalLimit), in seconds.</summary>
    public static double PhysicalLimitSeconds(Esp32Model model, long bytes) => model.PhysicalLimit(bytes, bytes) / 1_000_000.0;

    // The modeled time from the first `from` report to the first `to` report after it, or -1.
    private static double Between(DeviceResult d, string from, string to)
    {
        int a = d.Timeline.FindIndex(t => t.State == from);
        if (a < 0) return -1;
        int b = d.Timeline.FindIndex(a + 1, t => t.State == to);
        return b < 0 ? -1 : d.Timeline[b].Seconds - d.Timeline[a].Seconds;
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : Math.Round(values.Order().ElementAt(values.Count / 2), 3);

    // "failed 1 (1/17: ...)" -> "1/17"; "reverted 1" -> "reverted".
    private static string ReasonOf(string report)
    {
        int open = report.IndexOf('('), colon = report.IndexOf(':');
        return open >= 0 && colon > open ? report[(open + 1)..colon] : report.Split(' ')[0];
    }

    // "power cut: power lost during ..." -> "power cut"; the words before the first digit or colon.
    private static string FaultKind(string fault)
    {
        int end = fault.IndexOfAny([':', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '(']);
        return (end > 0 ? fault[..end] : fault).Trim().TrimEnd(',');
    }

    private static void Row(StringBuilder h, string name, double value) =>
        h.Append($"<tr data-key=\"{Text(name)}\"><th>{Text(name)}</th><td data-value=\"{Num(value)}\">{Num(value)}</td></tr>");

    private const string Css =
        "body{font:14px system-ui,sans-serif;margin:24px;color:#1d2430;max-width:980px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}" +
        ".hint{color:#5b6474}table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #e3e6eb;text-align:left}td{font-variant-numeric:tabular-nums}" +
        "figure{margin:8px 0}svg{background:#fafbfc;border:1px solid #e3e6eb}.axis{stroke:#8a93a3}.tick,.label,.value,.legend,.axis-label,.marker{font-size:11px;fill:#3a4250}" +
        ".bar{fill:#4c78a8}.bar.bad{fill:#d9534f}.bar.phase{fill:#72b7b2}line.limit{stroke:#2ca02c;stroke-width:2;stroke-dasharray:4 3}line.median{stroke:#555;stroke-dasharray:2 2}" +
        "line.p99{stroke:#d9534f;stroke-dasharray:2 2}text.limit{fill:#2ca02c}text.p99{fill:#d9534f}.line{fill:none;stroke-width:2}.line.offered{stroke:#f58518}.line.confirmed{stroke:#4c78a8}" +
        "text.offered{fill:#f58518}text.confirmed{fill:#4c78a8}.examples li{margin:4px 0}";
}
