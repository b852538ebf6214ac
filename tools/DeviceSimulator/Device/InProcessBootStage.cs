using System.Runtime.InteropServices;
using System.Text;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The C boot stage called in process: libbootsim.so (Bootloader/port/host/bootsim_lib.c, built by the
/// boot stage's CMake project beside bootsim) boots once on the board's flash image with the same core,
/// host port and strict flash model as `bootsim boot`, and answers the same line. No process per boot,
/// no flash file per boot: what lets a fleet of thousands of boards run on one machine.
/// </summary>
public static class InProcessBootStage
{
    private const string Library = "bootsim";

    /// <summary>libbootsim.so beside bootsim (out/bin), or null if it was not built.</summary>
    public static string? Locate(string bootsim)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bootsim))!, "libbootsim.so");
        return File.Exists(path) ? path : null;
    }

    private static string? _path;
    private static readonly object Gate = new();

    /// <summary>Binds the P/Invoke calls to this library file (once per process; the same file every time).</summary>
    public static void Use(string path)
    {
        lock (Gate)
        {
            if (_path is not null)
            {
                if (_path != path) throw new InvalidOperationException($"libbootsim is already loaded from {_path}");
                return;
            }
            _path = path;
            NativeLibrary.SetDllImportResolver(typeof(InProcessBootStage).Assembly, (name, assembly, search) =>
                name == Library ? NativeLibrary.Load(path) : IntPtr.Zero);
        }
    }

    [DllImport(Library, EntryPoint = "bootsim_boot_areas")]
    private static extern int BootAreas(byte[] image, nuint imageLength, uint[] sizes, [MarshalAs(UnmanagedType.LPUTF8Str)] string vendorPubPem, byte[] vendorId, byte[] classId,
        ref ulong counter, nint cutAfter, int tear, [Out] byte[] line, nuint lineCapacity, out byte slots, out byte home, [Out] long[] stats);

    /// <summary>
    /// One boot of a flash image of any layout (areas back to back in the boot stage's area order, sizes
    /// as BoardFlash.AreaSizes gives them): bootsim's exit code and line, and the decision's A/B slot bits
    /// (the slots that boot and the confirmed ones; 0 on a swap board, unchanged by a power cut), and what the
    /// boot did to the flash and with the crypto.
    /// </summary>
    public static (int ExitCode, string Line, byte Slots, byte Home, BootStats Stats) Boot(byte[] image, uint[] sizes, BootConfig config, int cutAfterOperations, byte slotsBefore, byte homeBefore)
    {
        var line = new byte[512];
        ulong counter = config.Counter;
        byte slots = slotsBefore, home = homeBefore;
        var stats = new long[BootStats.Count];
        int code = BootAreas(image, (nuint)image.Length, sizes, config.VendorPublicKeyFile, config.VendorId, config.ClassId, ref counter,
            cutAfterOperations, cutAfterOperations >= 0 ? 1 : 0, line, (nuint)line.Length, out slots, out home, stats);
        if (code == BootStage.PowerCutExit) (slots, home) = (slotsBefore, homeBefore);
        config.Counter = counter;
        int end = Array.IndexOf(line, (byte)0);
        return (code, Encoding.UTF8.GetString(line, 0, end < 0 ? line.Length : end), slots, home, BootStats.FromArray(stats));
    }
}
