using System.Diagnostics;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The real C boot stage run on a board's flash. In process (libbootsim.so beside bootsim, the default
/// when it is built): the board's flash image goes to the library and back, no file per boot. As a
/// process (bootsim, or when inProcess is false): save the flash file, run `bootsim boot`, load back what
/// the boot stage left. A board on disk keeps the anti-rollback counter and the vendor key in FLASH.cfg
/// beside its flash file; an in-memory board keeps them in a BootConfig. Either way the answer is
/// bootsim's line.
/// </summary>
public sealed class BootStage
{
    /// <summary>bootsim's exit code for a boot cut by a simulated power loss.</summary>
    public const int PowerCutExit = 3;

    private readonly BoardFlash _flash;
    private readonly string? _flashFile;
    private readonly string? _bootsim;
    private readonly string? _library;
    private readonly BootConfig? _config;

    /// <summary>A board on disk: its flash file and FLASH.cfg.</summary>
    public BootStage(BoardFlash flash, string flashFile, string bootsim, bool inProcess = true)
    {
        _flash = flash;
        _flashFile = flashFile;
        _bootsim = bootsim;
        _library = inProcess ? InProcessBootStage.Locate(bootsim) : null;
    }

    /// <summary>A board in memory: booted in process by the library, its configuration held here.</summary>
    public BootStage(BoardFlash flash, BootConfig config, string library)
    {
        _flash = flash;
        _config = config;
        _library = library;
    }

    /// <summary>Whether boots run in process (libbootsim.so) rather than as bootsim processes.</summary>
    public bool InProcess => _library is not null;

    public string FlashFile => _flashFile ?? throw new InvalidOperationException("an in-memory board has no flash file");

    /// <summary>Writes FLASH.cfg: the vendor key file, the vendor and class ids (16 bytes each) and the counter.</summary>
    public void Configure(string vendorPublicKeyPem, byte[] vendorId, byte[] classId, long counter)
    {
        var pub = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(FlashFile))!, "vendor.pub.pem");
        File.WriteAllText(pub, vendorPublicKeyPem);
        new BootConfig { VendorPublicKeyFile = pub, VendorId = vendorId, ClassId = classId, Counter = (ulong)counter }.Save(FlashFile + ".cfg");
    }

    /// <summary>The last boot's A/B slot bits: what boots and what is confirmed (0 on a swap board).</summary>
    public byte Slots { get; private set; }
    public byte Home { get; private set; }

    /// <summary>What the last boot did to the flash and with the crypto (null before the first boot).</summary>
    public BootStats? LastStats { get; private set; }

    /// <summary>
    /// Boots: returns bootsim's line (for example "boot: installed deploy seq=7 (testing)"). With
    /// cutAfterOperations >= 0 the power fails at that flash operation, torn (exit code 3).
    /// </summary>
    public (int ExitCode, string Line) Boot(int cutAfterOperations = -1)
    {
        if (_library is not null)
        {
            // In process, whatever the layout (libbootsim's bootsim_boot_areas).
            InProcessBootStage.Use(_library);
            var config = _config ?? BootConfig.Load(FlashFile + ".cfg");
            var image = _flash.ToImage();
            var result = InProcessBootStage.Boot(image, _flash.AreaSizes, config, cutAfterOperations, Slots, Home);
            (Slots, Home, LastStats) = (result.Slots, result.Home, result.Stats);
            _flash.FromImage(image, _flashFile ?? "the in-memory flash");
            if (_config is null) config.Save(FlashFile + ".cfg");
            return (result.ExitCode, result.Line);
        }
        // The A/B layouts exist only in process (bootsim's flash file is the swap layout).
        if (_flash.IsAb) throw new InvalidOperationException("an A/B board boots in process: libbootsim.so must be beside bootsim ('make build')");
        _flash.Save(FlashFile);
        var (code, output) = Run(cutAfterOperations >= 0 ? ["boot", FlashFile, "--cut-after", cutAfterOperations.ToString(), "--tear", "--stats"] : ["boot", FlashFile, "--stats"]);
        _flash.Load(FlashFile);
        // The decision's line, then (when the boot ran to its end) the --stats line.
        var lines = output.Split('\n');
        var stats = lines.Length > 1 ? BootStats.Parse(lines[^1].Trim()) : null;
        LastStats = stats;
        return (code, stats is null ? output : string.Join('\n', lines[..^1]).Trim());
    }

    public (int ExitCode, string Output) Run(params string[] args)
    {
        var bootsim = _bootsim ?? throw new InvalidOperationException("an in-memory board has no bootsim process");
        var psi = new ProcessStartInfo(bootsim, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("bootsim did not start: " + bootsim);
        var stderr = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd() + stderr.Result;
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException("bootsim did not finish within 60 s");
        }
        return (p.ExitCode, output.Trim());
    }

    /// <summary>bootsim from out/bin, found from the running program's folder upwards; null if not built.</summary>
    public static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "bin", "bootsim");
            if (File.Exists(path)) return path;
            path = Path.Combine(dir.FullName, "out", "bin", "bootsim");
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
