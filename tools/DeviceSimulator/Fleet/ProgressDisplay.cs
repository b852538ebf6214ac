namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>The live progress: one line, rewritten in place on a terminal, printed on change otherwise.</summary>
public sealed class ProgressDisplay(TextWriter output, List<SimDevice> devices)
{
    private readonly bool _terminal = output == Console.Out && !Console.IsOutputRedirected;
    private string _last = "";
    private TimeSpan _lastPrinted = TimeSpan.Zero;

    /// <summary>The phases a board ends in (SimDevice's outcomes).</summary>
    public static readonly string[] Final = ["updated", "failed", "reverted", "error"];

    /// <summary>"done/total done, R boards/s, about T left": the rate so far, and the time left at that rate.</summary>
    public static string Pace(int done, int total, TimeSpan elapsed)
    {
        var head = $"{done}/{total} done";
        if (done == 0 || elapsed <= TimeSpan.Zero) return head;
        double rate = done / elapsed.TotalSeconds;
        if (done >= total) return $"{head}, {rate:F1} boards/s";
        var left = TimeSpan.FromSeconds((total - done) / rate);
        return $"{head}, {rate:F1} boards/s, about {(left.TotalMinutes >= 1 ? $"{(int)left.TotalMinutes} min {left.Seconds} s" : $"{Math.Ceiling(left.TotalSeconds)} s")} left";
    }

    public void Update(TimeSpan elapsed) => Update(elapsed, final: false);

    // final: the last line is printed whatever its timing, so even a run of a second shows its pace.
    private void Update(TimeSpan elapsed, bool final)
    {
        var phases = devices.GroupBy(d => d.Phase).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}");
        var downloading = devices.Select(d => d.DownloadPercent).Where(p => p >= 0).ToList();
        var done = devices.Count(d => Final.Contains(d.Phase));
        var line = Pace(done, devices.Count, elapsed) + " | " + string.Join(" · ", phases)
            + (downloading.Count > 0 ? $" (downloads at {downloading.Min()}..{downloading.Max()}%)" : "");
        if (_terminal)
        {
            output.Write($"\r[{elapsed.TotalSeconds,6:F1}s] {line}".PadRight(Math.Max(_last.Length + 12, 1)));
            _last = line;
        }
        else if (line != _last && (final || elapsed - _lastPrinted >= TimeSpan.FromSeconds(2)))
        {
            output.WriteLine($"[{elapsed.TotalSeconds,6:F1}s] {line}");
            _last = line;
            _lastPrinted = elapsed;
        }
    }

    public void Finish(TimeSpan elapsed)
    {
        Update(elapsed, final: true);
        if (_terminal) output.WriteLine();
        foreach (var d in devices)
        {
            var r = d.Result;
            output.WriteLine($"  {r.Id,-10} {d.Phase,-9} {r.Version ?? "?",-8} seq {r.Sequence,-3} modeled busy {r.Modeled.Busy,7:F1}s" +
                (r.FaultsInjected.Count > 0 ? $"  faults: {string.Join("; ", r.FaultsInjected)}" : ""));
        }
    }
}
