using SecureOta.DeviceSimulator.Model;

namespace SecureOta.Bench;

/// <summary>
/// Issue 14, crypto in hardware: the same encrypted 256 KiB application update (one board in memory, the
/// real agent, chip emulator and C boot stage against update-server) modeled twice in one run: with SHA-256
/// and AES-CTR on the ESP32's accelerators through the interop (the path the board takes: ESP-IDF's CI
/// floors for the accelerators and a native call's cost, Esp32Model), and with the interpreted managed code the board would otherwise run (issue 14's
/// estimate for a 240 MHz ESP32: 5-20 kB/s for SHA-256; 10 kB/s taken, AES-CTR charged the same). Reported:
/// the modeled busy time of the update each way and their ratio.
/// </summary>
public static class CryptoPathBench
{
    private const int AppSize = 256 * 1024;
    private const double ManagedEstimateBytesPerSecond = 10_000;

    public static IEnumerable<BenchRow> Run()
    {
        double native = OneBoardUpdate.Run(new Esp32Model(), "deploy", AppSize).Board.Modeled.Busy;
        double managed = OneBoardUpdate.Run(new Esp32Model { ManagedCryptoBytesPerSecond = ManagedEstimateBytesPerSecond }, "deploy", AppSize).Board.Modeled.Busy;
        return
        [
            new BenchRow("crypto", $"{AppSize / 1024} KiB app, interop", "model s", native, "managed estimate, model s", managed),
        ];
    }
}
