using System.Text.Json;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// Runs every provisioned device of a folder against a server, each on its own thread, with a live
/// progress line, and writes the JSON report.
/// </summary>
public sealed class FleetRunner(string bootsim, Esp32Model model)
{
    public static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static List<string> DeviceDirs(string dir) =>
        Directory.Exists(dir)
            ? Directory.GetDirectories(dir).Where(d => File.Exists(Path.Combine(d, DeviceIdentity.FileName))).Order(StringComparer.Ordinal).ToList()
            : [];

    public FleetReport Run(string dir, string serverUrl, FleetOptions options, FaultPlan plan, TextWriter progress, CancellationToken cancel)
    {
        var dirs = DeviceDirs(dir);
        if (dirs.Count == 0) throw new ArgumentException($"{dir}: no provisioned devices (run 'device-sim provision' first)");
        return Run(dirs.Select(d => (IBoardStore)new DirectoryBoardStore(d)).ToList(), serverUrl, options, plan, progress, cancel);
    }

    /// <summary>
    /// Runs the boards on options.Parallelism worker threads. When there are more boards than workers,
    /// a board that got nothing offered gives its worker to the next one and runs again later (a board
    /// of a later wave must not hold the worker a board of the open wave needs).
    /// </summary>
    public FleetReport Run(IReadOnlyList<IBoardStore> boards, string serverUrl, FleetOptions options, FaultPlan plan, TextWriter progress, CancellationToken cancel)
    {
        if (boards.Count == 0) throw new ArgumentException("no boards to run");
        var devices = boards.Select(b => new SimDevice(b, bootsim, model, !options.BootStageAsProcess)).ToList();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.Timeout);
        using var http = new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(options.ServerCa)) { Timeout = TimeSpan.FromSeconds(30) };
        int workers = Math.Clamp(options.Parallelism, 1, devices.Count);
        bool share = devices.Count > workers;
        var queue = new System.Collections.Concurrent.ConcurrentQueue<int>(Enumerable.Range(0, devices.Count));
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            // A board that never got a worker before the time ran out stays pending.
            while (!timeout.IsCancellationRequested && queue.TryDequeue(out var i))
            {
                if (!devices[i].Run(http, serverUrl, options, plan, options.Seed * 7919 + i, timeout.Token, yieldWhenIdle: share))
                    queue.Enqueue(i);
            }
        }) { IsBackground = true, Name = "board worker " + w }).ToList();
        var display = new ProgressDisplay(progress, devices);
        var peak = new PeakMemory();
        foreach (var t in threads) t.Start();
        while (!threads.All(t => t.Join(TimeSpan.FromMilliseconds(500))))
        {
            display.Update(wall.Elapsed);
            peak.Sample();
        }
        foreach (var d in devices) d.FinishIfRunning();
        peak.Sample();
        display.Finish(wall.Elapsed);

        var results = devices.Select(d => d.Result).ToList();
        var busy = results.Select(r => r.Modeled.Busy).Order().ToList();
        var limited = results.Where(r => r.Outcome == "updated" && r.ModeledLimit > 0).ToList();
        var limits = limited.Select(r => r.ModeledLimit).Order().ToList();
        var ratios = limited.Select(r => r.Modeled.Busy / r.ModeledLimit).Order().ToList();
        return new FleetReport
        {
            Server = serverUrl,
            Faults = plan.ToString(),
            Devices = results.Count,
            Updated = results.Count(r => r.Outcome == "updated"),
            Failed = results.Count(r => r.Outcome == "failed"),
            Reverted = results.Count(r => r.Outcome == "reverted"),
            Pending = results.Count(r => r.Outcome == "pending"),
            Errors = results.Count(r => r.Outcome == "error"),
            Waiting = results.Count(r => r.Outcome is "waiting-consent" or "waiting-window"),
            ChannelBlocked = results.Count(r => r.Outcome == "channel-blocked"),
            Parts = results.GroupBy(r => r.Part).ToDictionary(g => g.Key, g => g.Count()),
            UpdatedByPart = results.Where(r => r.Outcome == "updated").GroupBy(r => r.Part).ToDictionary(g => g.Key, g => g.Count()),
            Versions = results.Where(r => r.Outcome == "updated").GroupBy(r => r.Version ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            FaultsInjected = results.Sum(r => r.FaultsInjected.Count),
            HostWallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 2),
            ModeledBusyMedian = busy[busy.Count / 2],
            ModeledBusyMax = busy[^1],
            ModeledBusyP90 = Percentile(busy, 0.90),
            ModeledBusyP99 = Percentile(busy, 0.99),
            ModeledLimitMedian = limits.Count == 0 ? 0 : limits[limits.Count / 2],
            LimitRatioMedian = ratios.Count == 0 ? 0 : Math.Round(ratios[ratios.Count / 2], 2),
            Layouts = results.GroupBy(r => r.Layout).ToDictionary(g => g.Key, g => g.Count()),
            BoardsPerSecond = Math.Round(results.Count(r => r.Outcome is not "pending") / Math.Max(wall.Elapsed.TotalSeconds, 1e-3), 2),
            PeakMemoryMiB = peak.MiB,
            BootStage = options.BootStageAsProcess ? "bootsim processes" : "in process (libbootsim)",
            DeviceResults = results,
        };
    }

    /// <summary>The nearest-rank percentile of sorted values (the JSON report's and the HTML report's).</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
