using System.Text;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The application images the simulated boards run: a small header naming the version, then
/// deterministic filler. A board's running version is read from its deploy partition, so it is what
/// the boot stage really installed, not what the simulator hoped for.
/// </summary>
public static class SimFirmware
{
    private static readonly byte[] Magic = "SECUREOTA-SIM-FW\0"u8.ToArray();
    private const int MaxVersionLength = 32;

    public static byte[] Build(string version, int size, int seed)
    {
        var v = Encoding.ASCII.GetBytes(version);
        if (v.Length == 0 || v.Length > MaxVersionLength) throw new ArgumentException("version: 1..32 ASCII characters");
        if (size < Magic.Length + v.Length + 1) throw new ArgumentException("size: too small for the image header");
        var image = new byte[size];
        new Random(seed).NextBytes(image);
        Magic.CopyTo(image, 0);
        v.CopyTo(image, Magic.Length);
        image[Magic.Length + v.Length] = 0;
        return image;
    }

    /// <summary>
    /// The version a board's firmware reports before any firmware update (the simulator provisions the
    /// deploy partition only; a real board runs the factory's nanoCLR, whose SystemInfo.Version this stands for).
    /// </summary>
    public static readonly long[] FactoryFirmwareVersion = [1, 0, 0];

    /// <summary>
    /// The running firmware's version as the agent compares it with a data set's firmware dependency: the
    /// numeric parts of the header in the nanoclr partition ("2.1.0" or "2.1.0-rc1": 2, 1, 0), the factory
    /// firmware's if the partition holds no simulated image, null if its version has no numeric form.
    /// </summary>
    public static long[]? FirmwareVersion(IFlashArea nanoclr)
    {
        var text = ReadVersion(nanoclr);
        if (text is null) return FactoryFirmwareVersion;
        var numeric = text.Split('-', 2)[0].Split('.');
        if (numeric.Length is < 1 or > 4 || !numeric.All(p => p.Length is > 0 and <= 9 && p.All(char.IsAsciiDigit))) return null;
        return numeric.Select(long.Parse).ToArray();
    }

    /// <summary>The version in the deploy partition's header, or null if it holds no simulated firmware.</summary>
    public static string? ReadVersion(IFlashArea deploy)
    {
        var head = new byte[Magic.Length + MaxVersionLength + 1];
        if (deploy.Read(0, head, 0, head.Length) != FlashStatus.Ok || !head.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        int end = Array.IndexOf(head, (byte)0, Magic.Length);
        return end <= Magic.Length ? null : Encoding.ASCII.GetString(head, Magic.Length, end - Magic.Length);
    }
}
