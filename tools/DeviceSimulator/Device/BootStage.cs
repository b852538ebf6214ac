using System.Diagnostics;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The real C boot stage run on a board's flash. In process (libbootsim.so beside bootsim, the default
/// when it is built): the board's flash image goes to the library and back, no file per boot. As a
/// process (bootsim, or when inProcess is false): save the flash file, run `bootsim boot`, load back what
/// the boot stage left. Either way the anti-rollback counter and the vendor key live in FLASH.cfg beside
/// the flash file, and the answer is bootsim's line.
/// </summary>
public sealed class BootStage(BoardFlash flash, string flashFile, string bootsim, bool inProcess = true)
{
    private readonly string? _library = inProcess ? InProcessBootStage.Locate(bootsim) : null;

    /// <summary>Whether boots run in process (libbootsim.so) rather than as bootsim processes.</summary>
    public bool InProcess => _library is not null;

    /// <summary>bootsim's exit code for a boot cut by a simulated power loss.</summary>
    public const int PowerCutExit = 3;

    public string FlashFile => flashFile;

    /// <summary>Writes FLASH.cfg: the vendor key file, the vendor and class ids (16 bytes each) and the counter.</summary>
    public void Configure(string vendorPublicKeyPem, byte[] vendorId, byte[] classId, long counter)
    {
        var pub = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(flashFile))!, "vendor.pub.pem");
        File.WriteAllText(pub, vendorPublicKeyPem);
        new BootConfig { VendorPublicKeyFile = pub, VendorId = vendorId, ClassId = classId, Counter = (ulong)counter }.Save(flashFile + ".cfg");
    }

    /// <summary>
    /// Boots: returns bootsim's line (for example "boot: installed deploy seq=7 (testing)"). With
    /// cutAfterOperations >= 0 the power fails at that flash operation, torn (exit code 3).
    /// </summary>
    public (int ExitCode, string Line) Boot(int cutAfterOperations = -1)
    {
        if (_library is not null)
        {
            InProcessBootStage.Use(_library);
            var config = BootConfig.Load(flashFile + ".cfg");
            var image = flash.ToImage();
            var result = InProcessBootStage.Boot(image, config, cutAfterOperations);
            flash.FromImage(image, flashFile);
            config.Save(flashFile + ".cfg");
            return result;
        }
        flash.Save(flashFile);
        var (code, output) = Run(cutAfterOperations >= 0 ? ["boot", flashFile, "--cut-after", cutAfterOperations.ToString(), "--tear"] : ["boot", flashFile]);
        flash.Load(flashFile);
        return (code, output);
    }

    public (int ExitCode, string Output) Run(params string[] args)
    {
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
