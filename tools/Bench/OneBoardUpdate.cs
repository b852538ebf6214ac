using System.Net.Http.Json;
using SecureOta.Agent.Tests;
using SecureOta.ChipEmulator;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.Bench;

/// <summary>
/// One board in memory (the real agent, chip emulator and C boot stage) through one encrypted update of
/// a component from update-server (out/bin, its own process), on a given modeled ESP32. The issue 14 rows
/// (CryptoPathBench, UpdateLimitBench) measure it.
/// </summary>
public static class OneBoardUpdate
{
    /// <summary>
    /// The board's result (its modeled times) and the data set's size; throws when the board did not update.
    /// A Trust M board decrypts through its master secret, a Trust X board through the class key's ES-DH
    /// recipient (docs/security-chip.md, "Two parts").
    /// </summary>
    public static (DeviceResult Board, long DataSetBytes) Run(Esp32Model model, string component, int imageSize, string layout = Provisioner.SwapLayout,
        string part = ChipPart.TrustMName)
    {
        var bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        using var vendor = new AgentRig();
        using var server = new ServerProcess(vendor.VendorKey.ExportSubjectPublicKeyInfoPem(), "--device-rate-limit", "1000000");
        var dir = Directory.CreateTempSubdirectory("bench-board-").FullName;
        try
        {
            var boards = new Provisioner(bootsim).ProvisionInMemory(new Provisioner.Request(dir, 1, "b-", vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
                vendor.MasterSecret, vendor.VendorId, vendor.ClassId, "1.0.0", 16 * 1024, Part: part, ClassKeyPkcs8: vendor.ClassKey.ExportPkcs8PrivateKey(), Layout: layout));
            Provisioner.Register(server.Admin, boards).GetAwaiter().GetResult();
            var recipients = part == ChipPart.TrustXName ? AgentRig.Recipients.EsDh : AgentRig.Recipients.MasterSecret;
            var dataSet = vendor.DataSet(SimFirmware.Build(component == "nanoclr" ? "nanoclr-1.1.0" : "1.1.0", imageSize, 7), 1, encrypt: true, component: component, recipients: recipients);
            var digest = server.Upload(dataSet);
            using (var created = server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest }).GetAwaiter().GetResult())
                if (!created.IsSuccessStatusCode) throw new InvalidOperationException("rollout refused: " + created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            var report = new FleetRunner(bootsim, model).Run(boards, server.Url.TrimEnd('/'),
                new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMinutes(5), Parallelism = 1 },
                FaultPlan.Parse("none"), TextWriter.Null, CancellationToken.None);
            if (report.Updated != 1) throw new InvalidOperationException("the board did not update: " + report.Summary());
            return (report.DeviceResults[0], dataSet.Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
