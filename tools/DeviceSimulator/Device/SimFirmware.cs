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

    /// <summary>The version in the deploy partition's header, or null if it holds no simulated firmware.</summary>
    public static string? ReadVersion(IFlashArea deploy)
    {
        var head = new byte[Magic.Length + MaxVersionLength + 1];
        if (deploy.Read(0, head, 0, head.Length) != FlashStatus.Ok || !head.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        int end = Array.IndexOf(head, (byte)0, Magic.Length);
        return end <= Magic.Length ? null : Encoding.ASCII.GetString(head, Magic.Length, end - Magic.Length);
    }
}
