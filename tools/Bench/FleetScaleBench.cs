using System.Diagnostics;
using System.Net.Http.Json;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.Bench;

/// <summary>
/// The fleet at scale (issue 19): 10,000 boards in memory, each the real agent, chip emulator and C boot
/// stage (in process, libbootsim), against update-server (out/bin, its own process, SQLite) through a
/// rollout in three waves. Reported: boards per host second against 200 boards booting through bootsim
/// processes in the same run; the run's peak resident memory and its growth per board against one
/// board's full flash image; the fleet's modeled update times (median, p90, p99).
/// </summary>
public static class FleetScaleBench
{
    public const int Boards = 10_000, ReferenceBoards = 200;
    private const int AppSize = 64 * 1024;

    public static IEnumerable<BenchRow> Run()
    {
        var bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        var (reference, _) = Fleet(bootsim, ReferenceBoards, asProcess: true);
        var (big, baseline) = Fleet(bootsim, Boards, asProcess: false);
        if (big.Updated != Boards || reference.Updated != ReferenceBoards)
            throw new InvalidOperationException($"the fleet did not converge: {big.Summary()}; reference: {reference.Summary()}");
        double perBoardKiB = Math.Max(0, big.PeakMemoryMiB - baseline) * 1024 / Boards;
        Console.WriteLine($"fleet-scale: {Boards} boards in {big.HostWallSeconds} s ({big.BoardsPerSecond} boards/s), peak {big.PeakMemoryMiB} MiB " +
            $"(baseline {baseline:F0} MiB), modeled update time median {big.ModeledBusyMedian} s, p90 {big.ModeledBusyP90} s, p99 {big.ModeledBusyP99} s, slowest {big.ModeledBusyMax} s");
        var image = new BoardFlash().FileSize / 1024.0;
        return
        [
            new BenchRow("fleet", $"{Boards / 1000}k boards, library", "boards/s", big.BoardsPerSecond, $"{ReferenceBoards} boards, bootsim procs", reference.BoardsPerSecond),
            new BenchRow("fleet", $"{Boards / 1000}k boards", "KiB RSS/board", perBoardKiB, "one board's flash image KiB", image),
            new BenchRow("fleet", $"{Boards / 1000}k boards", "MiB peak RSS", big.PeakMemoryMiB, "before the run, MiB", baseline),
            new BenchRow("fleet", $"{Boards / 1000}k, {AppSize / 1024} KiB app", "p90 model s", big.ModeledBusyP90, "median, modeled s", big.ModeledBusyMedian),
            new BenchRow("fleet", $"{Boards / 1000}k, {AppSize / 1024} KiB app", "p99 model s", big.ModeledBusyP99, "median, modeled s", big.ModeledBusyMedian),
        ];
    }

    // One fleet against its own server: provision in memory, register, publish, run. Returns the report
    // and the resident memory just before the run started (MiB).
    private static (FleetReport Report, double Baseline) Fleet(string bootsim, int boards, bool asProcess)
    {
        using var vendor = new AgentRig();
        using var server = new ServerProcess(vendor.VendorKey.ExportSubjectPublicKeyInfoPem(), "--device-rate-limit", "1000000");
        var dir = Directory.CreateTempSubdirectory("bench-fleet-").FullName;
        try
        {
            var provisioner = new Provisioner(bootsim);
            var request = new Provisioner.Request(dir, boards, "b-", vendor.VendorKey.ExportSubjectPublicKeyInfoPem(), vendor.MasterSecret,
                vendor.VendorId, vendor.ClassId, "1.0.0", 16 * 1024);
            IReadOnlyList<IBoardStore> stores;
            if (asProcess)
            {
                Provisioner.Register(server.Admin, dir, provisioner.Provision(request)).GetAwaiter().GetResult();
                stores = FleetRunner.DeviceDirs(dir).Select(d => (IBoardStore)new DirectoryBoardStore(d)).ToList();
            }
            else
            {
                var memory = provisioner.ProvisionInMemory(request);
                Provisioner.Register(server.Admin, memory).GetAwaiter().GetResult();
                stores = memory;
            }
            var digest = server.Upload(vendor.DataSet(SimFirmware.Build("1.1.0", AppSize, 5), 1, encrypt: true));
            using (var created = server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = boards / 10, waves = new[] { 1, 20, 100 }, successThreshold = 90 }).GetAwaiter().GetResult())
                if (!created.IsSuccessStatusCode) throw new InvalidOperationException("rollout refused: " + created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            GC.Collect();
            double baseline;
            using (var self = Process.GetCurrentProcess()) baseline = self.WorkingSet64 / (1024.0 * 1024.0);
            var report = new FleetRunner(bootsim, new Esp32Model()).Run(stores, server.Url.TrimEnd('/'),
                new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMinutes(30), Parallelism = 16, MaxFailedAttempts = 6, BootStageAsProcess = asProcess },
                FaultPlan.Parse("none"), TextWriter.Null, CancellationToken.None);
            return (report, baseline);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
