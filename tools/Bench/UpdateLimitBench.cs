using SecureOta.ChipEmulator;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.Bench;

/// <summary>
/// Issue 14, the model and the benchmark: one encrypted update of each size through device-sim (one board,
/// the real agent, chip emulator and C boot stage against update-server), its modeled busy time from download
/// to confirmed, against two references computed from the same Esp32Model in the same run:
/// - the physical limit: max(Wi-Fi time of the data set, erase of the image's range with the best aligned
///   erases + programming it) + the run's own chip time + one plain boot (what an A/B update that overlaps
///   download and flash could reach; no copy);
/// - a modeled ESP-IDF OTA (esp_ota_ops.c: esp_ota_begin erases the image's sectors up front, the app
///   receives and writes chunk by chunk, esp_ota_end and esp_ota_set_boot_partition each verify the image
///   (esp_image_verify: read and SHA-256), otadata is one sector erase and write; then the bootloader
///   checks the image once more), without our chip, signature or decryption work.
/// Each on the 4 MB swap board and on the 4 MB A/B board (partitions_4mb_ab.csv: the image written into
/// the second slot and activated there, docs/boot-protocol.md "A/B slots"). A 1 MiB application fits
/// neither 4 MB layout's application partition (768 KiB swap, 384 KiB slots): it runs on the 8 MB A/B
/// board (partitions_8mb_ab.csv, 1.75 MiB slots).
/// </summary>
public static class UpdateLimitBench
{

    public static IEnumerable<BenchRow> Run()
    {
        var model = new Esp32Model();
        var rows = new List<BenchRow>();
        var cases = new[]
        {
            ("256 KiB app", "deploy", 256 * 1024, Provisioner.SwapLayout, ChipPart.TrustMName),
            ("1.4 MiB firmware", "nanoclr", 1434 * 1024, Provisioner.SwapLayout, ChipPart.TrustMName),
            ("256 KiB app, A/B", "deploy", 256 * 1024, Provisioner.AbLayout, ChipPart.TrustMName),
            ("1.4 MiB firmware, A/B", "nanoclr", 1434 * 1024, Provisioner.AbLayout, ChipPart.TrustMName),
            ("1 MiB app, A/B 8 MB", "deploy", 1024 * 1024, Provisioner.Ab8Layout, ChipPart.TrustMName),
            // The same 256 KiB A/B update on a Trust X board: its own durations (DS-X Table 15), no shielded
            // connection, the key by ES-DH (CalcSSec) and the counter in a data object.
            ("256 KiB A/B, Trust X", "deploy", 256 * 1024, Provisioner.AbLayout, ChipPart.TrustXName),
        };
        foreach (var (label, component, size, layout, part) in cases)
        {
            var (board, dataSetBytes) = OneBoardUpdate.Run(model, component, size, layout, part);
            double busy = board.Modeled.Busy, chip = board.Modeled.Chip;
            double limit = Seconds(model.UpdateLimit(dataSetBytes, size, (long)(chip * 1_000_000), BoardFlash.Sector));
            double espIdf = Seconds(EspIdfOta(model, size));
            Console.WriteLine($"update-limit: {label}: modeled {busy:F1} s, physical limit {limit:F1} s, modeled ESP-IDF OTA {espIdf:F1} s (chip {chip:F3} s in {board.Modeled.ChipCommands} commands; " +
                $"network {board.Modeled.Network:F2} s + {board.Modeled.OverlappedNetwork:F2} s overlapped, flash {board.Modeled.Flash:F2} s, crypto {board.Modeled.Crypto:F2} s, boot stage {board.Modeled.BootStage:F2} s)");
            rows.Add(new BenchRow("update", label, "model s", busy, "physical limit, s", limit));
            rows.Add(new BenchRow("update", label, "model s", busy, "ESP-IDF OTA model, s", espIdf));
            // Issue 14's target for the chip's share (check-in signatures, shielded connection, verifications,
            // key derivation, counter): 0.3 s. Each check-in's freshness statement adds a GetRandom and a VerifySign.
            rows.Add(new BenchRow("update", label, "chip s", chip, "target, s", 0.3));
            // The agent's flash wear for the update against what the image needs at least: the 64 KiB blocks
            // that cover it (the fewest erase commands), and its bytes (the staging header and journal and
            // the boot-state record come on top).
            rows.Add(new BenchRow("update", label, "agent erases", board.Modeled.EraseOperations, "image, fewest erases", (size + model.BlockEraseBytes - 1) / model.BlockEraseBytes));
            rows.Add(new BenchRow("update", label, "agent KiB written", board.Modeled.BytesWritten / 1024.0, "image KiB", size / 1024.0));
        }
        return rows;
    }

    // The image's range at a 64 KiB-aligned slot, in one erase call (esp_flash_erase_region: blocks where aligned).
    private static long ImageErase(Esp32Model model, long size) => model.Erase(0, Rounded(size), BoardFlash.Sector);

    private static long Rounded(long size) => (size + BoardFlash.Sector - 1) / BoardFlash.Sector * BoardFlash.Sector;

    private static long EspIdfOta(Esp32Model model, long size)
    {
        long verify = model.FlashRead(size) + model.BootCrypto(size);
        return ImageErase(model, size)                                  /* esp_ota_begin(partition, image_size) */
            + model.RequestLatencyMicroseconds + model.Transfer(size)   /* the HTTP download */
            + model.FlashProgram(size)                                  /* esp_ota_write, after each chunk arrived */
            + 2 * verify                                                /* esp_ota_end, esp_ota_set_boot_partition */
            + model.SectorEraseMicroseconds + model.PageProgramMicroseconds /* otadata */
            + model.PlainBootMicroseconds + verify;                           /* the bootloader's image check */
    }

    private static double Seconds(long us) => Math.Round(us / 1_000_000.0, 2);
}
