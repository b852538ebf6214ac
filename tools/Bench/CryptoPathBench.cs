using System.Net.Http.Json;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.Bench;

/// <summary>
/// Issue 14, crypto in hardware: the same encrypted 256 KiB application update (one board in memory, the
/// real agent, chip emulator and C boot stage against update-server) modeled twice in one run: with SHA-256
/// and AES-CTR on the ESP32's accelerators through the interop (the path the board takes, the model's
/// 2 MB/s assumption), and with the interpreted managed code the board would otherwise run (issue 14's
/// estimate for a 240 MHz ESP32: 5-20 kB/s for SHA-256; 10 kB/s taken, AES-CTR charged the same). Reported:
/// the modeled busy time of the update each way and their ratio.
/// </summary>
public static class CryptoPathBench
{
    private const int AppSize = 256 * 1024;
    private const double ManagedEstimateBytesPerSecond = 10_000;

    public static IEnumerable<BenchRow> Run()
    {
        var bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        double native = Update(bootsim, new Esp32Model());
        double managed = Update(bootsim, new Esp32Model { CryptoBytesPerSecond = ManagedEstimateBytesPerSecond });
        return
        [
            new BenchRow("crypto", $"{AppSize / 1024} KiB app, interop", "model s", native, "managed estimate, model s", managed),
        ];
    }

    private static double Update(string bootsim, Esp32Model model)
    {
        using var vendor = new AgentRig();
        using var server = new ServerProcess(vendor.VendorKey.ExportSubjectPublicKeyInfoPem(), "--device-rate-limit", "1000000");
        var dir = Directory.CreateTempSubdirectory("bench-crypto-").FullName;
        try
        {
            var boards = new Provisioner(bootsim).ProvisionInMemory(new Provisioner.Request(dir, 1, "c-", vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
                vendor.MasterSecret, vendor.VendorId, vendor.ClassId, "1.0.0", 16 * 1024));
            Provisioner.Register(server.Admin, boards).GetAwaiter().GetResult();
            var digest = server.Upload(vendor.DataSet(SimFirmware.Build("1.1.0", AppSize, 6), 1, encrypt: true));
            using (var created = server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest }).GetAwaiter().GetResult())
                if (!created.IsSuccessStatusCode) throw new InvalidOperationException("rollout refused: " + created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            var report = new FleetRunner(bootsim, model).Run(boards, server.Url.TrimEnd('/'),
                new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMinutes(5), Parallelism = 1 },
                FaultPlan.Parse("none"), TextWriter.Null, CancellationToken.None);
            if (report.Updated != 1) throw new InvalidOperationException("the board did not update: " + report.Summary());
            return report.ModeledBusyMedian;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
