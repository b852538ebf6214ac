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
        var devices = dirs.Select(d => new SimDevice(d, bootsim, model, !options.BootStageAsProcess)).ToList();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.Timeout);
        using var http = new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(options.ServerCa)) { Timeout = TimeSpan.FromSeconds(30) };
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        var threads = devices.Select((device, i) => new Thread(() =>
        {
            try { slots.Wait(timeout.Token); }
            catch (OperationCanceledException) { return; } // the run ended before this device got a slot: it stays pending
            try { device.Run(http, serverUrl, options, plan, options.Seed * 7919 + i, timeout.Token); }
            finally { slots.Release(); }
        }) { IsBackground = true, Name = device.Identity.Id }).ToList();
        var display = new ProgressDisplay(progress, devices);
        foreach (var t in threads) t.Start();
        while (!threads.All(t => t.Join(TimeSpan.FromMilliseconds(500)))) display.Update(wall.Elapsed);
        display.Finish(wall.Elapsed);

        var results = devices.Select(d => d.Result).ToList();
        var busy = results.Select(r => r.Modeled.Busy).Order().ToList();
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
            Parts = results.GroupBy(r => r.Part).ToDictionary(g => g.Key, g => g.Count()),
            UpdatedByPart = results.Where(r => r.Outcome == "updated").GroupBy(r => r.Part).ToDictionary(g => g.Key, g => g.Count()),
            Versions = results.Where(r => r.Outcome == "updated").GroupBy(r => r.Version ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            FaultsInjected = results.Sum(r => r.FaultsInjected.Count),
            HostWallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 2),
            ModeledBusyMedian = busy[busy.Count / 2],
            ModeledBusyMax = busy[^1],
            DeviceResults = results,
        };
    }
}
