using System.Diagnostics;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The real C boot stage (bootsim, built from Bootloader/) run on a board's flash: save the flash
/// file, boot, load back what the boot stage left. bootsim keeps its anti-rollback counter and the
/// vendor key in FLASH.cfg beside the flash file.
/// </summary>
public sealed class BootStage(BoardFlash flash, string flashFile, string bootsim)
{
    /// <summary>bootsim's exit code for a boot cut by a simulated power loss.</summary>
    public const int PowerCutExit = 3;

    public string FlashFile => flashFile;

    /// <summary>Writes FLASH.cfg: the vendor key file, the vendor and class ids (16 bytes each) and the counter.</summary>
    public void Configure(string vendorPublicKeyPem, byte[] vendorId, byte[] classId, long counter)
    {
        var pub = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(flashFile))!, "vendor.pub.pem");
        File.WriteAllText(pub, vendorPublicKeyPem);
        File.WriteAllText(flashFile + ".cfg",
            $"pub {pub}\nvendor {Convert.ToHexString(vendorId).ToLowerInvariant()}\nclass {Convert.ToHexString(classId).ToLowerInvariant()}\ncounter {counter}\n");
    }

    /// <summary>
    /// Boots: returns bootsim's line (for example "boot: installed deploy seq=7 (testing)"). With
    /// cutAfterOperations >= 0 the power fails at that flash operation, torn (exit code 3).
    /// </summary>
    public (int ExitCode, string Line) Boot(int cutAfterOperations = -1)
    {
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
