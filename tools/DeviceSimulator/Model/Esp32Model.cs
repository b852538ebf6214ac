namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// The modeled ESP32 board: how long the device-side work would take on the hardware, charged to
/// each simulated device's virtual clock. These are typical figures, not measurements of our board
/// (none were taken): every one names where it comes from, so a measured board can replace it.
/// The security chip's command durations and the I2C transfers are charged by the chip emulator
/// itself (docs/security-chip.md, "Timing").
/// </summary>
public sealed class Esp32Model
{
    /// <summary>Application-level HTTP throughput over Wi-Fi (ESP-IDF iperf shows ~20 Mbit/s TCP; a managed nanoFramework HTTP client reaches far less: assume 400 KiB/s).</summary>
    public double WifiBytesPerSecond { get; init; } = 400 * 1024;

    /// <summary>One HTTP request's round trip on a local network, connection set-up included (assumption: 30 ms).</summary>
    public long RequestLatencyMicroseconds { get; init; } = 30_000;

    /// <summary>4 KiB sector erase of the module's SPI NOR flash (GD25Q32/W25Q32 datasheets: 45 ms typical).</summary>
    public long SectorEraseMicroseconds { get; init; } = 45_000;

    /// <summary>
    /// 64 KiB block erase (W25Q32JV datasheet: 150 ms typical, against 16 x 45 ms for the same bytes in
    /// sectors). ESP-IDF's esp_flash_erase_region (components/spi_flash/esp_flash_api.c) erases a whole
    /// block wherever the range left is at least a block and the address is block-aligned, sectors elsewhere.
    /// </summary>
    public long BlockEraseMicroseconds { get; init; } = 150_000;

    /// <summary>The generic SPI NOR chip driver's block_erase_size (spi_flash_chip_generic.c: 64 KiB).</summary>
    public int BlockEraseBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// One erase call of length bytes at a flash address, timed as esp_flash_erase_region runs it:
    /// block erases where aligned and long enough, sector erases around them.
    /// </summary>
    public long Erase(long address, long length, int sectorSize) => Walk(address, length, sectorSize, out _);

    /// <summary>How many erase commands (blocks and sectors) esp_flash_erase_region issues for that call.</summary>
    public long EraseOperations(long address, long length, int sectorSize)
    {
        Walk(address, length, sectorSize, out long operations);
        return operations;
    }

    // The erase commands of one esp_flash_erase_region call: a block wherever at least a block is left at
    // a block-aligned address, sectors elsewhere. Returns their time; operations is how many.
    private long Walk(long address, long length, int sectorSize, out long operations)
    {
        long us = 0;
        operations = 0;
        while (length > 0)
        {
            bool block = BlockEraseBytes > 0 && length >= BlockEraseBytes && address % BlockEraseBytes == 0;
            long step = block ? BlockEraseBytes : sectorSize;
            us += block ? BlockEraseMicroseconds : SectorEraseMicroseconds;
            operations++;
            address += step;
            length -= step;
        }
        return us;
    }

    /// <summary>
    /// The physical limit of moving an image onto the flash (µs): the longer of the Wi-Fi transfer of
    /// transferBytes and erasing the image's range (one call at an aligned address, the best aligned erases)
    /// plus programming it, as if the two overlapped. The HTML report's marker and make bench's limit row.
    /// </summary>
    public long PhysicalLimit(long transferBytes, long imageBytes, int sectorSize = 4096)
    {
        long range = (imageBytes + sectorSize - 1) / sectorSize * sectorSize;
        return Math.Max(Transfer(transferBytes), Erase(0, range, sectorSize) + FlashProgram(imageBytes));
    }

    /// <summary>A boot's fixed start-up (ROM loader, boot stage, nanoCLR start); what the boot stage reads, writes and checks comes on top (Boot).</summary>
    public long PlainBootMicroseconds { get; init; } = 50_000;

    /// <summary>
    /// The limit of a whole update (µs): the physical limit plus the chip's own time in it and one plain boot.
    /// device-sim's per-board limit and make bench's limit row.
    /// </summary>
    public long UpdateLimit(long transferBytes, long imageBytes, long chipMicroseconds, int sectorSize = 4096) =>
        PhysicalLimit(transferBytes, imageBytes, sectorSize) + chipMicroseconds + PlainBootMicroseconds;

    /// <summary>256-byte page program (same datasheets: 0.7 ms typical).</summary>
    public long PageProgramMicroseconds { get; init; } = 700;

    /// <summary>SPI flash read at 40 MHz DIO, about 10 MB/s.</summary>
    public double FlashReadBytesPerSecond { get; init; } = 10_000_000;

    /// <summary>
    /// SHA-256 on the ESP32's accelerator through mbedTLS (the interop assembly SecureOta.Native.Crypto on
    /// the agent's side, issue 14; the boot stage's C code directly): 8.0 MB/s, the floor ESP-IDF's own CI
    /// asserts on a 240 MHz ESP32 (espressif/esp-idf components/mbedtls/test_apps/mbedtls_ut/include/crypto_performance.h,
    /// the CONFIG_IDF_TARGET_ESP32 block, IDF_PERFORMANCE_MIN_SHA256_THROUGHPUT_MBSEC: "threshold set lower than
    /// worst case"; 6.0 under CONFIG_FREERTOS_SMP, which ESP-IDF's default FreeRTOS, and so nanoFramework's
    /// build, does not set; MB as bytes per µs). A floor, so a board is at least this fast; not measured on our board.
    /// </summary>
    public double ShaBytesPerSecond { get; init; } = 8_000_000;

    /// <summary>
    /// AES-128 on the ESP32's accelerator through mbedTLS: 8.2 MB/s, the same file's
    /// IDF_PERFORMANCE_MIN_AES_CBC_THROUGHPUT_MBSEC ("accounts for worst-case performance with PSRAM
    /// workaround"). That floor is CBC's; CTR drives the same block engine once per 16 bytes (mbedTLS's
    /// esp_aes_crypt_ctr), taken to run at the same rate.
    /// </summary>
    public double AesBytesPerSecond { get; init; } = 8_200_000;

    /// <summary>
    /// The CPU cost of one native call from the agent (an interop method: crypto or partition access), the
    /// managed statements that prepare it included: 200 µs, an estimate on the slow side. Issue 14's
    /// figures: the real nanoCLR executes about 265 M IL operations/s on a 2.6 GHz x86-64 host, a 240 MHz
    /// ESP32 an estimated 50-200 x fewer (1.3-5.3 M/s); the transition, the argument checks and the
    /// caller's bookkeeping are taken as about 250 IL operations, at the slow end of that range.
    /// </summary>
    public long NativeCallMicroseconds { get; init; } = 200;

    /// <summary>
    /// Set to model a board running the interpreted managed SHA-256 and AES-CTR instead of the interop
    /// (CryptoPathBench's comparison): that rate for both, per byte, no native call. Issue 14's figures:
    /// about 1.0 MB/s for the managed SHA-256 on the real nanoCLR's posix build on a 2.6 GHz x86-64 host,
    /// an estimated 5-20 kB/s on a 240 MHz ESP32. Null: the interop path, which the board takes.
    /// </summary>
    public double? ManagedCryptoBytesPerSecond { get; init; }

    public long Transfer(long bytes) => (long)(bytes * 1_000_000.0 / WifiBytesPerSecond);

    public long FlashRead(long bytes) => (long)(bytes * 1_000_000.0 / FlashReadBytesPerSecond);

    public long FlashProgram(long bytes) => (bytes + 255) / 256 * PageProgramMicroseconds;

    /// <summary>One SHA-256 update call of the agent over bytes: its native call and the accelerator (or the managed estimate).</summary>
    public long AgentSha(long bytes) => AgentCrypto(bytes, ShaBytesPerSecond);

    /// <summary>One AES call of the agent over bytes (a chunk's CTR, or one block of the key unwrap).</summary>
    public long AgentAes(long bytes) => AgentCrypto(bytes, AesBytesPerSecond);

    private long AgentCrypto(long bytes, double acceleratorRate) => ManagedCryptoBytesPerSecond is double managed
        ? (long)(bytes * 1_000_000.0 / managed)
        : NativeCallMicroseconds + (long)(bytes * 1_000_000.0 / acceleratorRate);

    /// <summary>The boot stage's SHA-256 over bytes (C, mbedTLS on the accelerator in the ESP-IDF port), whatever the agent's path.</summary>
    public long BootCrypto(long bytes) => (long)(bytes * 1_000_000.0 / ShaBytesPerSecond);

    /// <summary>
    /// The boot stage's check of the envelope's P-256 signature (bs_load_envelope → bs_suit_authenticate,
    /// mbedTLS in software: the classic ESP32 has an MPI accelerator but no ECC peripheral), charged with
    /// every envelope it authenticates (Boot). 173 ms: mbedTLS 3.6.6's ecdsa_verify P-256 measured on an
    /// ESP32 at 240 MHz with fixed-point ECP and the accelerator off (172.71 ms, Mbed-TLS/TF-PSA-Crypto#873;
    /// 230.54 ms with mbedTLS 4.1.0). The accelerator does not help: on an ESP32-D0WD-V3 at 240 MHz a
    /// 256-bit multiply takes 19.49 µs on it against 9.78 µs in software (espressif/esp-idf#19026), and on
    /// an ESP32-S3 the whole verify took 302 ms with it and 267 ms without (esp-idf#19027). esp-idf itself
    /// asserts ECDSA verify ceilings only for chips with an ECC peripheral (C2, C6, H2:
    /// components/mbedtls/test_apps/mbedtls_ut/include/crypto_performance.h); the 67 ms charged here
    /// before was the H2's, far too lenient for the ESP32's software path.
    /// </summary>
    public long BootSignatureMicroseconds { get; init; } = 173_000;

    /// <summary>
    /// One boot as the boot stage ran it (µs): a plain boot, then what its host port counted (SimDevice, from
    /// bootsim's statistics): each sector erase and 256-byte page program it made (a record it wrote, a swap
    /// step), the bytes it read, hashed and the signatures it checked. The boot stage erases only single
    /// sectors (bs_state.c, bs_swap.c), so each erase is a sector erase.
    /// </summary>
    public long Boot(long sectorErases, long pagesProgrammed, long bytesRead, long bytesHashed, long signatures) =>
        PlainBootMicroseconds + sectorErases * SectorEraseMicroseconds + pagesProgrammed * PageProgramMicroseconds
        + FlashRead(bytesRead) + BootCrypto(bytesHashed) + signatures * BootSignatureMicroseconds;
}
